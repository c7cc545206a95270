/**
 * SvelteKit: the server init lives in src/hooks.server.(ts|js), whose handleError SvelteKit calls
 * for what a load function, action, endpoint or render throws (it answers the request itself, so
 * no process hook sees those); the browser side in src/hooks.client.(ts|js). svelte.config's
 * `kit.files.hooks` moves them. The adapter decides where the server hooks run at all.
 */
import type { Evidence } from '../../../project.js';
import type { NodeFacts } from '../detect/facts.js';
import type { ProjectFiles } from '../../../detectors/project-files.js';
import { found, type FrameworkDetector } from '../../../detectors/types.js';

const svelteConfigs = ['svelte.config.js', 'svelte.config.mjs', 'svelte.config.ts'];

/** Where each adapter's server runs, in the words detection says. */
const adapters: Array<{ adapter: string; says: string }> = [
  { adapter: 'node', says: 'adapter-node: the built server (node build) runs hooks.server, where the Node SDK reports' },
  { adapter: 'static', says: 'adapter-static: no server at run time (hooks.server runs only while prerendering at build), so only the browser side reports' },
  { adapter: 'auto', says: 'adapter-auto: the server runs where the host puts it (Vercel, Netlify, Cloudflare…); the Node SDK reports only where that is Node' },
  { adapter: 'vercel', says: 'adapter-vercel: the server runs as Vercel functions (Node, unless a route asks for edge); the Node SDK reports from the Node ones' },
  { adapter: 'netlify', says: 'adapter-netlify: the server runs as Netlify functions; the Node SDK reports unless edge is on' },
  { adapter: 'cloudflare', says: 'adapter-cloudflare: the server runs on Workers, where the Node SDK cannot: only the browser side reports' },
];

/** The two hook files without extension, as kit.files.hooks names them (relative to the root). */
export interface SvelteKitHooks {
  server: string;
  client: string;
  /** Where the names came from, for the evidence. */
  from: string;
}

/**
 * Reads `kit.files.hooks` out of svelte.config as text: the config is a module that imports the
 * adapter, never run here. Only string literals count; anything else keeps SvelteKit's defaults.
 */
export async function svelteKitHooks(files: ProjectFiles): Promise<SvelteKitHooks> {
  const config = await files.firstFile(svelteConfigs);
  const text = config ? ((await files.text(config)) ?? '') : '';
  const hooks = /\bhooks\s*:\s*\{([^{}]*)\}/.exec(text)?.[1] ?? '';
  const named = (key: string) => new RegExp(`\\b${key}\\s*:\\s*(['"\`])([^'"\`]+)\\1`).exec(hooks)?.[2]?.replace(/^\.\//, '');
  const server = named('server');
  const client = named('client');
  return {
    server: server ?? 'src/hooks.server',
    client: client ?? 'src/hooks.client',
    from: server || client ? `${config} kit.files.hooks` : 'the SvelteKit default',
  };
}

/** The hook file to wire: the existing one (any of SvelteKit's extensions), else the one to create. */
export async function svelteKitHookFile(files: ProjectFiles, base: string, typescript: boolean): Promise<{ path: string; exists: boolean }> {
  const existing = await files.firstFile(['ts', 'js', 'mts', 'mjs'].map((ext) => `${base}.${ext}`));
  return existing ? { path: existing, exists: true } : { path: `${base}.${typescript ? 'ts' : 'js'}`, exists: false };
}

async function adapterEvidence(facts: NodeFacts, config: string | null): Promise<Evidence> {
  const text = config ? ((await facts.files.text(config)) ?? '') : '';
  const imported = /['"]@sveltejs\/adapter-([\w-]+)['"]/.exec(text)?.[1];
  const adapter = imported ?? adapters.find(({ adapter }) => facts.dependencies.has(`@sveltejs/adapter-${adapter}`))?.adapter;
  const known = adapters.find((row) => row.adapter === adapter);
  if (known) return { about: 'framework', says: known.says };
  if (adapter) return { about: 'framework', says: `adapter-${adapter}: the Node SDK reports where its server runs on Node` };
  return { about: 'framework', says: 'no SvelteKit adapter found: the Node SDK reports where the built server runs on Node' };
}

export const sveltekit: FrameworkDetector<NodeFacts> = {
  runtime: 'node',
  framework: 'sveltekit',
  moduleSystem: { value: 'esm', evidence: [{ about: 'module', says: 'SvelteKit bundles its hooks as ES modules (Vite)' }] },

  async detect(facts) {
    if (!facts.dependencies.has('@sveltejs/kit')) return null;
    const config = await facts.files.firstFile(svelteConfigs);
    const evidence: Evidence[] = [{ about: 'framework', says: 'package.json depends on @sveltejs/kit' }];
    if (config) evidence.push({ about: 'framework', says: `${config} exists` });
    evidence.push(await adapterEvidence(facts, config));
    return evidence;
  },

  async entry(facts) {
    const hooks = await svelteKitHooks(facts.files);
    const file = await svelteKitHookFile(facts.files, hooks.server, facts.typescript);
    const says = file.exists ? `${file.path} exists (SvelteKit's server hooks, ${hooks.from})` : `${file.path} is to be created (SvelteKit's server hooks, ${hooks.from})`;
    return found(file.path, [{ about: 'entry', says }]);
  },
};
