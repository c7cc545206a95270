/**
 * `ez-pixel sourcemaps upload [--release <r>] [dirs…]`: sends a production build's source maps to
 * `serve`, which maps the browser events of that release with them (src/ingest/uploaded-maps.ts).
 * A run after each deploy's build; uploading a release again replaces its maps.
 */
import { relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CliError, ExitCode } from '../exit-codes.js';
import { defaultBuildDirs, isInsideProject, listBuiltScripts, locateMap, readLocatedMap, sourceMapSwitches } from '../ingest/build-maps.js';
import type { UploadedMap } from '../ingest/store.js';
import { checkIngestUrl, isProjectKey } from '../key.js';
import { readBuildSettings } from './build-settings.js';
import { describe, readAdminToken } from './ingest-options.js';

interface UploadFlags {
  cwd: string;
  release?: string;
  url?: string;
  key?: string;
  adminTokenFile?: string;
}

export async function sourcemapsUploadCommand(dirs: string[], options: Record<string, unknown>): Promise<number> {
  const flags = options as unknown as UploadFlags;
  const cwd = resolve(flags.cwd);
  const found = await readBuildSettings(cwd);
  const { variables } = found;
  const release = flags.release?.trim() ?? found.release?.value.trim() ?? '';
  if (release === '' || release.length > 256) {
    const fromBuild = variables.release ? ` (or set ${variables.release}, which the build gives the page)` : '';
    throw new CliError(`--release must name the release the build is deployed as (1 to 256 characters), the value the SDK sends as release${fromBuild}`, ExitCode.usage);
  }
  const projectKey = flags.key ?? found.projectKey?.value;
  if (!projectKey || !isProjectKey(projectKey)) {
    const said = flags.key === undefined && found.projectKey ? ` (${found.projectKey.from})` : '';
    throw new CliError(`the project key ${projectKey ? `"${projectKey}"${said} is not a project key` : 'is not set'}: pass --key pk_live_… (or set ${variables.key})`, ExitCode.usage);
  }
  const origin = serveOrigin(flags.url ?? found.ingestUrl?.value, variables.url);
  const token = readAdminToken(flags.adminTokenFile, 'sourcemaps upload');

  const maps = await collectMaps(cwd, dirs.length > 0 ? dirs : defaultBuildDirs, dirs.length > 0);
  // Maps are mostly text that repeats: gzip makes the upload several times smaller.
  const body = gzipSync(JSON.stringify({ project_key: projectKey, release, maps }));
  const answer = await post(`${origin}/api/sourcemaps`, token, body);
  if (answer.status !== 201) throw refusal(answer, origin, body.length);
  for (const map of maps) process.stdout.write(`${map.file}\n`);
  process.stderr.write(`ez-pixel sourcemaps: uploaded ${maps.length} source maps for release ${release} to ${origin}\n`);
  return ExitCode.ok;
}

/** `--url`: serve's base URL or its ingest URL (what the SDK is given). */
function serveOrigin(url: string | undefined, variable: string): string {
  if (!url) throw new CliError(`the serve URL is not set: pass --url https://errors.example.com (or set ${variable})`, ExitCode.usage);
  const checked = checkIngestUrl(url);
  if (!checked.ok) throw new CliError(checked.reason, ExitCode.usage);
  return url.replace(/\/+$/, '').replace(/\/ingest$/, '');
}

/** Every map of every script in the build folders; a folder named on the command line must exist. */
async function collectMaps(cwd: string, dirs: readonly string[], named: boolean): Promise<UploadedMap[]> {
  const maps: UploadedMap[] = [];
  const seen = new Set<string>();
  let scripts = 0;
  for (const dir of dirs) {
    const base = resolve(cwd, dir);
    const built = await listBuiltScripts(base);
    if (named && built.length === 0) throw new CliError(`${dir} holds no scripts (.js): is it the build output?`, ExitCode.nothingToInstrument);
    scripts += built.length;
    for (const { script, file } of built) {
      // SvelteKit's client is in .svelte-kit/output/client and adapter-node's build/client: the first folder's copy is the one whose sources resolve.
      if (seen.has(file)) continue;
      seen.add(file);
      const located = await locateMap(script);
      if (!located) continue;
      // A map outside the project (by `../` or a symlink) is not this build's to send.
      if (located.kind === 'file' && !(await isInsideProject(cwd, located.path))) continue;
      // An inline map's sources resolve against its script.
      const path = relative(cwd, located.kind === 'file' ? located.path : script).split('\\').join('/');
      maps.push({ file, path, map: await readLocatedMap(located) });
    }
  }
  if (scripts === 0) {
    throw new CliError(`no build output found in ${dirs.join(', ')}`, ExitCode.nothingToInstrument, 'build the app first, or name its build folder: ez-pixel sourcemaps upload --release <r> <dir>');
  }
  if (maps.length === 0) {
    throw new CliError(`${scripts} scripts in ${dirs.join(', ')}, and none has a source map`, ExitCode.nothingToInstrument, `turn source maps on in the build (${sourceMapSwitches}), rebuild, and upload again`);
  }
  return maps;
}

interface Answer {
  status: number;
  message: string;
}

async function post(url: string, token: string, body: Buffer): Promise<Answer> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', authorization: `Bearer ${token}` },
      body: new Uint8Array(body),
      signal: AbortSignal.timeout(120_000),
    });
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause;
    throw new CliError(`cannot reach serve at ${url}: ${describe(cause ?? error)}`, ExitCode.failed, 'check --url, and that ez-pixel serve runs there');
  }
  const text = await response.text().catch(() => '');
  let message = text;
  try {
    message = String((JSON.parse(text) as { message?: unknown }).message ?? text);
  } catch {
    // not a JSON answer: a proxy's page, shown as it is
  }
  return { status: response.status, message: message.slice(0, 500) };
}

function refusal({ status, message }: Answer, origin: string, bytes: number): CliError {
  const says = `serve at ${origin} answered ${status}: ${message}`;
  if (status === 401) return new CliError(says, ExitCode.failed, 'the upload needs the admin token serve runs with (EZ_PIXEL_ADMIN_TOKEN or --admin-token-file); the public project key is not enough');
  if (status === 413) return new CliError(says, ExitCode.failed, `the upload was ${Math.ceil(bytes / (1 << 20))} MB gzipped: raise serve --max-upload-mb (a release's maps go in one upload, which replaces the release's earlier maps)`);
  if (status === 404) return new CliError(says, ExitCode.failed, 'is --url an ez-pixel serve? (listen reads maps from the build output and takes no uploads)');
  return new CliError(says, ExitCode.failed);
}
