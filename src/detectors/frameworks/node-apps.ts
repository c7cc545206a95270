/**
 * Node frameworks recognised by a dependency alone, whose entry is the app's own entry file.
 * `plain` comes last and always matches: any Node project is at least a plain app or CLI.
 */
import type { NodeFramework } from '../../project.js';
import type { NodeFacts } from '../node/facts.js';
import { findNodeEntry } from '../node/entry.js';
import type { FrameworkDetector } from '../types.js';

function byDependency(framework: NodeFramework, packages: string[]): FrameworkDetector<NodeFacts> {
  return {
    runtime: 'node',
    framework,
    async detect(facts) {
      const dependency = packages.find((name) => facts.dependencies.has(name));
      return dependency ? [{ about: 'framework', says: `package.json depends on ${dependency}` }] : null;
    },
    entry: findNodeEntry,
  };
}

export const fastify = byDependency('fastify', ['fastify']);
export const express = byDependency('express', ['express']);

export const plainNode: FrameworkDetector<NodeFacts> = {
  runtime: 'node',
  framework: 'plain',
  async detect() {
    return [{ about: 'framework', says: 'no Node framework among the dependencies: a plain app or CLI' }];
  },
  entry: findNodeEntry,
};
