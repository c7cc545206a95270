/**
 * Init templates: what `ez-pixel install` writes (the init module) and the line(s) that wire it
 * into the entry, one variant per runtime × module system × framework. Pure apart from reading
 * tsconfig.json and looking for __init__.py / src/app to choose a specifier or a location.
 */
import { platformOf } from '../platforms/index.js';
import type { NextVersion, NextWiringKind, RequestErrorHook, SvelteKitHooksPieces } from '../platforms/index.js';
import type { Project } from '../project.js';
import { readSettings, updateSettings } from './settings.js';

export interface InitSettings {
  projectKey: string;
  ingestUrl: string;
}

export interface InitFile {
  /** Relative to the project root, '/' separators. */
  path: string;
  content: string;
  /** A copy of a bundled artifact (a static site's SDK): a re-run writes it as this CLI bundles it, so an upgrade reaches the site. */
  bundled?: true;
}

export interface InitWiring {
  /** Files to create (the init module). For Next.js, a missing instrumentation file is produced by the injector instead. */
  files: InitFile[];
  /**
   * The exact line(s) to paste into the entry by hand, '\n'-separated, marker comments included. For
   * Express it goes on with the handler to add after the routes; for Next.js it is the whole block.
   */
  importStatement: string;
  /** The word in the comment on every line we add (`// ez-pixel`, `# ez-pixel  # isort: skip …`, `// ez-pixel: begin`). */
  marker: string;
  /** The file the injector edits, relative to the root. Usually project.entry; for Next.js the instrumentation file. */
  entry: string;
  /** The init module's path relative to the root. */
  initFile: string;
  /** How the entry names the init module (`./ez-pixel.init.js`, `ez_pixel_init`). */
  specifier: string;
  /** The lines inserted before the entry's first statement (no line endings). Empty for Next.js. */
  entryLines: string[];
  /** The web frameworks' request-error hooks (Express, Fastify, Koa, Hono, NestJS, tRPC), placed in the file that creates the app. */
  requestErrors: RequestErrorHook[];
  /**
   * Streamlit only: the line each page in the entry's pages/ folder gets. A fresh server runs only
   * the page a visitor opens, never the entry, so a page must load the entry's init itself.
   */
  pageLine?: string;
  /** React Router framework mode only: the handleError export appended to app/entry.server when it has none. */
  reactRouter?: { handleErrorBlock: string[] };
  /** SvelteKit only: the server hooks file's pieces (the entry is src/hooks.server.ts). */
  sveltekit?: { server: SvelteKitHooksPieces };
  /** Nuxt only: the server plugin install creates whole (the entry). */
  nuxt?: { created: string };
  /** Next.js only: the instrumentation pieces. */
  next?: {
    /** Goes first in an existing register() body. */
    registerLine: string;
    /** Appended when the file has neither register() nor onRequestError(). */
    fullBlock: string[];
    /** Appended when the file has its own onRequestError() but no register(). */
    registerBlock: string[];
    /** Appended after merging registerLine into the user's own register(). */
    onRequestErrorBlock: string[];
    /** The whole file when there is no instrumentation file yet ('\n' line endings). */
    created: string;
    /** The Next.js version found, and how it is wired: onRequestError (15+), the instrumentation flag (13.2–14), or not at all. */
    version: NextVersion | null;
    kind: NextWiringKind;
    /** 13.2–14: the property that enables instrumentation.ts, first in next.config's object... */
    configLine: string;
    /** ...or first in its existing `experimental` object. */
    flagLine: string;
  };
}

export function initWiringFor(project: Project, settings: InitSettings): InitWiring {
  return platformOf(project).initWiring(project, settings);
}

/** The entry to wire. planInstall answers a project without one with exit 3 before any template is asked for; this is a bug guard. */
export function entryToWire(project: Project): string {
  if (!project.entry) throw new Error('initWiringFor needs a project with an entry file');
  return project.entry;
}

/** Reads the key and URL written into an init file (for idempotency: keep an existing key; doctor: check them). */
export function readInitSettings(content: string): Partial<InitSettings> {
  return readSettings(content);
}

/** Rewrites only the key/URL values inside an existing init file (a re-run with a new --ingest-url changes only that value). */
export function updateInitSettings(content: string, settings: InitSettings): string {
  return updateSettings(content, settings);
}
