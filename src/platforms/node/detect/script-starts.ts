/**
 * What one package.json script starts: the file it runs (start-scripts.ts), or, for
 * `pm2 start ecosystem.config.js`, each app's script in that ecosystem file (pm2-ecosystem.ts).
 */
import type { NodeFacts } from './facts.js';
import { ecosystemApps } from './pm2-ecosystem.js';
import { scriptEcosystem, scriptRun, type ScriptRun } from './start-scripts.js';

export async function scriptStarts(facts: NodeFacts, name: string): Promise<ScriptRun[]> {
  const run = scriptRun(facts.pkg, name);
  if (run) return [run];
  const ecosystem = scriptEcosystem(facts.pkg, name);
  if (!ecosystem) return [];
  const apps = await ecosystemApps(facts.files, ecosystem.path);
  return apps.map((app) => ({ path: app.path, via: `${ecosystem.via} (pm2 app ${app.name ?? app.path}: ${app.path})` }));
}
