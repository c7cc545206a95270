// ES module hooks (they run off the main thread): log every module a process loads to MODULE_LOG.
import { appendFileSync } from 'node:fs';

export async function load(url, context, next) {
  const result = await next(url, context);
  appendFileSync(process.env.MODULE_LOG, `${url}\n`);
  return result;
}
