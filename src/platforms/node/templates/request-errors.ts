/**
 * The request-error hook of each web framework the SDK integrates with: the helper it imports and
 * the one line that registers it on the app (`{app}` stands for the app's variable). Where the line
 * goes is the injector's business (wiring/request-errors.ts); the lines carry the `// ez-pixel`
 * marker so uninstall finds them after any formatter.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Framework, Project } from '../../../project.js';
import { routerOf } from '../frameworks/routers.js';

export type HookFramework = 'express' | 'fastify' | 'koa' | 'hono' | 'nest' | 'trpc';

export interface RequestErrorHook {
  framework: HookFramework;
  /** The SDK export the hook line calls. */
  helper: string;
  /** At the top of the file that creates the app: `import { helper } from '@ez-pixel/node'; // ez-pixel`. */
  importLine: string;
  /** The registration; `{app}` is the app's variable. For tRPC it is a property of the adapter's options. */
  hookLine: string;
  /** Registrations for shapes the plain line cannot serve; `{app}` is filled as in hookLine. */
  variantLines?: Partial<Record<HookVariant, string>>;
}

/**
 * first: Koa's, to the front of `app.middleware`, for an app created with middleware chained on
 *   (`new Koa().use(router.routes())`);
 * wrap: tRPC's, after the user's `onError: handler`, calling it ({app} is the handler's name);
 * call: tRPC's, first in the body of the user's own onError function ({app} is its options).
 */
export type HookVariant = 'first' | 'wrap' | 'call';

const marker = '// ez-pixel';

/** framework → [SDK helper, registration]. tRPC's is a property: `onError` in the adapter's options. */
const registrations: Record<HookFramework, [string, string]> = {
  express: ['expressErrorHandler', '{app}.use(expressErrorHandler());'],
  fastify: ['fastifyErrorHook', "{app}.addHook('onError', fastifyErrorHook());"],
  koa: ['koaErrorHandler', '{app}.use(koaErrorHandler());'],
  hono: ['honoErrorHandler', '{app}.use(honoErrorHandler());'],
  nest: ['nestErrorFilter', '{app}.useGlobalFilters(nestErrorFilter({app}));'],
  trpc: ['trpcOnError', 'onError: trpcOnError(),'],
};

/** Koa composes `app.middleware` (a public array) when it starts listening: ours first there sees what the chained middleware throws. */
const variantRegistrations: Partial<Record<HookFramework, Partial<Record<HookVariant, string>>>> = {
  koa: { first: '{app}.middleware.unshift(koaErrorHandler());' },
  trpc: { wrap: 'onError: trpcOnError({app}),', call: 'trpcOnError()({app});' },
};

export function requestErrorHook(framework: HookFramework, statement: 'import' | 'require'): RequestErrorHook {
  const [helper, registration] = registrations[framework];
  const importLine =
    statement === 'require'
      ? `const { ${helper} } = require('@ez-pixel/node'); ${marker}`
      : `import { ${helper} } from '@ez-pixel/node'; ${marker}`;
  const variants = Object.entries(variantRegistrations[framework] ?? {}).map(([variant, line]) => [variant, `${line} ${marker}`]);
  return { framework, helper, importLine, hookLine: `${registration} ${marker}`, ...(variants.length > 0 ? { variantLines: Object.fromEntries(variants) } : {}) };
}

/**
 * The hooks a project gets: its framework's, plus tRPC's when tRPC runs inside it (its adapter
 * catches procedure errors before Express or Fastify see them). Runtime dependencies only.
 */
export function requestErrorHooksFor(project: Project, statement: 'import' | 'require'): RequestErrorHook[] {
  const frameworks: HookFramework[] = [];
  if (isHookFramework(project.framework)) frameworks.push(project.framework);
  if (project.framework !== 'trpc' && project.framework !== 'next' && !routerOf(project.framework) && runsTrpc(project.root)) frameworks.push('trpc');
  return frameworks.map((framework) => requestErrorHook(framework, statement));
}

function isHookFramework(framework: Framework): framework is HookFramework {
  return framework in registrations;
}

function runsTrpc(root: string): boolean {
  try {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, unknown> };
    return typeof pkg.dependencies?.['@trpc/server'] === 'string';
  } catch {
    return false;
  }
}
