/**
 * Node frameworks recognised by a runtime dependency alone (devDependencies do not count), whose
 * entry is the app's own entry file.
 * `plain` comes last and always matches: any Node project is at least a plain app or CLI.
 */
import type { NodeFramework } from '../../../project.js';
import type { NodeFacts } from '../detect/facts.js';
import { findNodeEntry } from '../detect/entry.js';
import type { FrameworkDetector } from '../../../detectors/types.js';

function byDependency(framework: NodeFramework, packages: string[]): FrameworkDetector<NodeFacts> {
  return {
    runtime: 'node',
    framework,
    async detect(facts) {
      const dependency = packages.find((name) => facts.runtimeDependencies.has(name));
      if (dependency) return [{ about: 'framework', says: `package.json depends on ${dependency}` }];
      return null;
    },
    entry: findNodeEntry,
  };
}

export const fastify = byDependency('fastify', ['fastify']);
export const koa = byDependency('koa', ['koa']);
export const hono = byDependency('hono', ['hono', '@hono/zod-openapi']);
/** A tRPC server on its own adapter (createHTTPServer); tRPC inside Express or Fastify is that framework plus tRPC's hook. */
export const trpc = byDependency('trpc', ['@trpc/server']);
export const express = byDependency('express', ['express']);

export const plainNode: FrameworkDetector<NodeFacts> = {
  runtime: 'node',
  framework: 'plain',
  async detect() {
    return [{ about: 'framework', says: 'no Node framework among the dependencies: a plain app or CLI' }];
  },
  entry: findNodeEntry,
};
