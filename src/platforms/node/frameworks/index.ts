/**
 * The Node frameworks, most specific first: the first detector that finds evidence wins, and
 * `plain` (last) always matches. Adding a framework means adding its detector here (and its template).
 */
import type { FrameworkDetector } from '../../../detectors/types.js';
import type { NodeFacts } from '../detect/facts.js';
import { nest } from './nest.js';
import { nuxt } from './nuxt.js';
import { next } from './next.js';
import { reactRouter, remix } from './react-router.js';
import { express, fastify, hono, koa, plainNode, trpc } from './node-apps.js';
import { sveltekit } from './sveltekit.js';

export const nodeFrameworks: FrameworkDetector<NodeFacts>[] = [next, sveltekit, nuxt, reactRouter, remix, nest, fastify, koa, hono, express, trpc, plainNode];
