/**
 * The Python package manager, from signals ranked by strength: a lockfile beats a tool's own
 * configuration, which beats hatch's build-only tables, which beat requirements files. The
 * strongest rank decides; two managers at that rank is a conflict the user settles with --pm.
 */
import type { Evidence, PythonPackageManager } from '../../project.js';
import { asObject } from '../project-files.js';
import type { PythonFacts } from '../python/facts.js';
import { found, type Outcome } from '../types.js';

interface Signal {
  pm: PythonPackageManager;
  strength: number;
  /** What shows the signal, or null when it is absent. */
  test(facts: PythonFacts): Promise<string | null>;
}

const file = (pm: PythonPackageManager, strength: number, name: string): Signal => ({
  pm,
  strength,
  test: async (facts) => ((await facts.files.isFile(name)) ? `${name} exists` : null),
});

const toolTable = (pm: PythonPackageManager, strength: number, path: string[], only?: (table: Record<string, unknown>) => boolean): Signal => ({
  pm,
  strength,
  test: async (facts) => {
    let table: Record<string, unknown> | null = asObject(facts.pyproject?.tool);
    for (const key of path) table = asObject(table?.[key]);
    return table && (!only || only(table)) ? `pyproject.toml has [tool.${path.join('.')}]` : null;
  },
});

const lockfile = 3;
const configuration = 2;
const buildOnly = 1;
const requirements = 0;

const signals: Signal[] = [
  file('uv', lockfile, 'uv.lock'),
  file('poetry', lockfile, 'poetry.lock'),
  file('pdm', lockfile, 'pdm.lock'),
  file('pipenv', lockfile, 'Pipfile.lock'),
  file('pipenv', configuration, 'Pipfile'),
  toolTable('poetry', configuration, ['poetry']),
  toolTable('pdm', configuration, ['pdm']),
  toolTable('uv', configuration, ['uv']),
  file('uv', configuration, 'uv.toml'),
  file('hatch', configuration, 'hatch.toml'),
  // Environments make a hatch project; [tool.hatch.build] alone is often a uv or pip project built with hatchling.
  toolTable('hatch', configuration, ['hatch'], (table) => 'envs' in table),
  toolTable('hatch', buildOnly, ['hatch']),
  {
    pm: 'pip',
    strength: requirements,
    test: async (facts) => (facts.requirementsFiles.length > 0 ? `${facts.requirementsFiles.join(', ')} exists` : null),
  },
];

export async function detectPythonPackageManager(facts: PythonFacts): Promise<Outcome<PythonPackageManager>> {
  const shown = await Promise.all(signals.map(async (signal) => ({ signal, says: await signal.test(facts) })));
  const present = shown.filter((s): s is { signal: Signal; says: string } => s.says !== null);
  if (present.length === 0) {
    return found('pip', [{ about: 'packageManager', says: 'no lockfile, Pipfile or tool table in pyproject.toml: pip' }]);
  }
  const strongest = Math.max(...present.map((s) => s.signal.strength));
  const deciding = present.filter((s) => s.signal.strength === strongest);
  const evidence: Evidence[] = present.map((s) => ({ about: 'packageManager', says: `${s.says} (${s.signal.pm})` }));
  const pms = [...new Set(deciding.map((s) => s.signal.pm))];
  if (pms.length === 1) return found(pms[0]!, evidence);
  return {
    ambiguous: {
      candidates: pms.map((pm) => ({ value: pm, because: deciding.filter((s) => s.signal.pm === pm).map((s) => s.says).join(', ') })),
      evidence,
    },
  };
}
