/**
 * `serve`'s source maps: uploaded by `ez-pixel sourcemaps upload` (POST /api/sourcemaps, with the
 * admin token) and kept in the Store by (project key, release, script URL path). A browser event
 * is mapped with the maps of its own `release`; an event without a release, or of a release with
 * no maps, is stored as sent (spec/fingerprint.md "Browser events").
 *
 * The project key is public (every page carries it), so it cannot authorise an upload: a map
 * decides what every later event of the release shows and how it groups, and anyone holding the
 * key could otherwise poison them. Uploads take the admin token, like the read API.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { AnyMap } from '@jridgewell/trace-mapping';
import { forbiddenMessage, mayRead, type ReadAccess } from './access.js';
import { send } from './answer.js';
import { isPlainRelative } from './build-maps.js';
import { isProjectKey } from '../key.js';
import type { LoadedMap, MapSource } from './source-maps.js';
import type { Store, UploadedMap } from './store.js';

const gunzipAsync = promisify(gunzip);

/** A whole app's maps in one request; `serve --max-upload-mb` changes it. */
export const defaultMaxUploadBytes = 64 << 20;

/** How long a map (or its absence) is reused before the database is asked again. */
const CACHE_MS = 60_000;
const MAX_CACHED = 64;
const MAX_RELEASE_CHARS = 256; // the event schema's limit on `release`
const MAX_PATH_CHARS = 1024;

interface Cached {
  at: number;
  loaded: LoadedMap | null;
}

/**
 * The MapSource of uploaded maps, with a small cache: an upload through this process drops the
 * release's entries at once; other processes on the same database see it within CACHE_MS.
 */
export class UploadedMaps {
  private readonly cache = new Map<string, Cached>();

  constructor(private readonly store: Store) {}

  readonly find: MapSource = async (file, event) => {
    const release = event.release;
    if (typeof release !== 'string' || release === '') return null;
    const key = cacheKey(event.project_key, release, file);
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.loaded;
    const uploaded = await this.store.getSourceMap(event.project_key, release, file);
    const loaded = uploaded ? parseUploaded(uploaded) : null;
    this.cache.delete(key);
    this.cache.set(key, { at: Date.now(), loaded });
    if (this.cache.size > MAX_CACHED) this.cache.delete(this.cache.keys().next().value!);
    return loaded;
  };

  forget(projectKey: string, release: string): void {
    const prefix = cacheKey(projectKey, release, '');
    for (const key of [...this.cache.keys()]) if (key.startsWith(prefix)) this.cache.delete(key);
  }
}

const cacheKey = (projectKey: string, release: string, file: string) => `${projectKey}\0${release}\0${file}`;

/**
 * The map resolves its sources against where it lay in the project (`dist/assets/x.js.map`), put
 * under a root of `/`, so `../../src/cart.js` comes out as `/src/cart.js` and then `src/cart.js`.
 */
function parseUploaded({ path, map }: UploadedMap): LoadedMap | null {
  try {
    return { map: new AnyMap(map, `/${path}`), root: '/' };
  } catch {
    return null;
  }
}

export interface UploadOptions {
  store: Store;
  access: ReadAccess;
  /** Absent in `listen`, which reads the maps from the build output instead. */
  maps?: UploadedMaps;
  maxBytes: number;
}

/**
 * POST /api/sourcemaps `{"project_key", "release", "maps": [{"file", "path", "map"}]}`: replaces
 * the release's maps. Every refusal first reads the body to its end (up to the limit), so the
 * uploader gets the answer instead of a connection reset in the middle of its upload.
 */
export async function receiveSourceMaps(request: IncomingMessage, response: ServerResponse, options: UploadOptions): Promise<void> {
  const refuse = async (status: number, error: string, message: string, drainLimit = options.maxBytes) => {
    if (!request.complete && (await readLimited(request, 0, drainLimit)) === 'aborted') return void request.socket.destroy();
    send(response, status, { error, message }, { connection: 'close' });
  };
  if (!options.maps) {
    return refuse(404, 'not_found', 'ez-pixel listen reads source maps from the build output (--source-maps); upload them to ez-pixel serve');
  }
  if (!mayRead(request, options.access)) return refuse(401, 'unauthorized', forbiddenMessage(options.access));
  if (!/^application\/json\b/i.test(request.headers['content-type'] ?? '')) {
    return refuse(415, 'unsupported_media_type', 'send the maps as content-type: application/json');
  }
  const encoding = request.headers['content-encoding'] ?? 'identity';
  if (encoding !== 'identity' && encoding !== 'gzip') return refuse(415, 'unsupported_media_type', 'send the maps plain or with content-encoding: gzip');
  const tooLarge = `the upload is above this serve's limit of ${megabytes(options.maxBytes)} (serve --max-upload-mb)`;
  // The admin sends it: past the limit the rest is read (and dropped), so that the 413 reaches the uploader.
  const body = await readLimited(request, options.maxBytes, Infinity);
  if (body === 'aborted') return void request.socket.destroy();
  if (body === 'too-large') return send(response, 413, { error: 'too_large', message: tooLarge });
  let json: Buffer;
  try {
    json = encoding === 'gzip' ? await gunzipAsync(body, { maxOutputLength: options.maxBytes }) : body;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return send(response, 413, { error: 'too_large', message: tooLarge });
    return send(response, 400, { error: 'invalid_upload', message: `the gzip body cannot be read: ${(error as Error).message}` });
  }
  const upload = parseUpload(json);
  if (typeof upload === 'string') return send(response, 400, { error: 'invalid_upload', message: upload });
  if (!(await options.store.isKeyActive(upload.projectKey))) {
    return send(response, 400, { error: 'unknown_key', message: `${upload.projectKey} is not an active project key of this serve (ez-pixel keys list)` });
  }
  await options.store.replaceSourceMaps(upload.projectKey, upload.release, upload.maps);
  options.maps.forget(upload.projectKey, upload.release);
  send(response, 201, { release: upload.release, maps: upload.maps.length });
}

interface Upload {
  projectKey: string;
  release: string;
  maps: UploadedMap[];
}

/** The upload, or what is wrong with it. Each map is parsed here, so a broken one is refused now, not ignored later. */
function parseUpload(bytes: Buffer): Upload | string {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    return `the body is not JSON: ${(error as Error).message}`;
  }
  const { project_key: projectKey, release, maps } = (value ?? {}) as Record<string, unknown>;
  if (typeof projectKey !== 'string' || !isProjectKey(projectKey)) return 'project_key must be a project key (pk_live_… or pk_test_…)';
  if (typeof release !== 'string' || release === '' || release.length > MAX_RELEASE_CHARS) {
    return `release must be a string of 1 to ${MAX_RELEASE_CHARS} characters`;
  }
  if (!Array.isArray(maps) || maps.length === 0) return 'maps must be a non-empty array';
  const seen = new Set<string>();
  const checked: UploadedMap[] = [];
  for (const [i, item] of maps.entries()) {
    const { file, path, map } = (item ?? {}) as Record<string, unknown>;
    if (typeof file !== 'string' || file.length > MAX_PATH_CHARS || !isPlainRelative(file)) return `maps[${i}].file must be a script's URL path such as assets/index.js`;
    if (typeof path !== 'string' || path.length > MAX_PATH_CHARS || !isPlainRelative(path)) return `maps[${i}].path must be the map's path in the project, such as dist/assets/index.js.map`;
    if (typeof map !== 'string') return `maps[${i}].map must be the map's JSON text`;
    if (seen.has(file)) return `maps[${i}]: ${file} is listed twice`;
    if (!parseUploaded({ file, path, map })) return `maps[${i}] (${file}) is not a source map`;
    seen.add(file);
    checked.push({ file, path, map });
  }
  return { projectKey, release, maps: checked };
}

/** The body (kept up to `limit`), or 'too-large' once it is read to its end; past `cutOff` (twice the limit unless told) the client is cut off. */
function readLimited(request: IncomingMessage, limit: number, cutOff = 2 * limit): Promise<Buffer | 'too-large' | 'aborted'> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let received = 0;
    request.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > cutOff) request.destroy();
      else if (received <= limit) chunks.push(chunk);
    });
    request.on('end', () => resolve(received > limit ? 'too-large' : Buffer.concat(chunks)));
    request.on('close', () => {
      if (!request.complete) resolve('aborted');
    });
    request.on('error', () => resolve('aborted'));
  });
}

function megabytes(bytes: number): string {
  return `${Math.round((bytes / (1 << 20)) * 10) / 10} MB`;
}
