/**
 * The framework registry, most specific first: the first detector that finds evidence wins, and
 * the last of each runtime always matches. Adding a framework means adding its detector here
 * (and its template).
 */
import type { Framework, Runtime } from '../../project.js';
import type { NodeFacts } from '../node/facts.js';
import type { PythonFacts } from '../python/facts.js';
import type { FrameworkDetector } from '../types.js';
import { django } from './django.js';
import { fastapi } from './fastapi.js';
import { flask } from './flask.js';
import { nest } from './nest.js';
import { next } from './next.js';
import { express, fastify, hono, koa, plainNode, trpc } from './node-apps.js';
import { pythonScript } from './python-script.js';
import { starlette } from './starlette.js';
import { streamlit } from './streamlit.js';

export const nodeFrameworks: FrameworkDetector<NodeFacts>[] = [next, nest, fastify, koa, hono, express, trpc, plainNode];
export const pythonFrameworks: FrameworkDetector<PythonFacts>[] = [django, fastapi, starlette, flask, streamlit, pythonScript];

export function runtimeOfFramework(framework: Framework): Runtime {
  return nodeFrameworks.some((detector) => detector.framework === framework) ? 'node' : 'python';
}
