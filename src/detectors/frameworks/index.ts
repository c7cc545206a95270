/**
 * The framework registry, most specific first: the first detector that finds evidence wins, and
 * the last of each runtime always matches. Adding a framework means adding its detector here
 * (and its template).
 */
import type { Framework, Runtime } from '../../project.js';
import type { NodeFacts } from '../../platforms/node/detect/facts.js';
import type { PythonFacts } from '../../platforms/python/detect/facts.js';
import type { FrameworkDetector } from '../types.js';
import { django } from '../../platforms/python/frameworks/django.js';
import { fastapi } from '../../platforms/python/frameworks/fastapi.js';
import { flask } from '../../platforms/python/frameworks/flask.js';
import { nest } from '../../platforms/node/frameworks/nest.js';
import { next } from '../../platforms/node/frameworks/next.js';
import { express, fastify, hono, koa, plainNode, trpc } from '../../platforms/node/frameworks/node-apps.js';
import { pythonScript } from '../../platforms/python/frameworks/python-script.js';
import { starlette } from '../../platforms/python/frameworks/starlette.js';
import { streamlit } from '../../platforms/python/frameworks/streamlit.js';

export const nodeFrameworks: FrameworkDetector<NodeFacts>[] = [next, nest, fastify, koa, hono, express, trpc, plainNode];
export const pythonFrameworks: FrameworkDetector<PythonFacts>[] = [django, fastapi, starlette, flask, streamlit, pythonScript];

export function runtimeOfFramework(framework: Framework): Runtime {
  return nodeFrameworks.some((detector) => detector.framework === framework) ? 'node' : 'python';
}
