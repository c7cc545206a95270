/**
 * The Python package manager, from signals ranked by strength: a lockfile beats a tool's own
 * configuration, which beats hatch's build-only tables, which beat requirements files. The
 * strongest rank decides; two managers at that rank is a conflict the user settles with --pm.
 */
import type { Evidence, PythonPackageManager } from '../../../project.js';
import { asObject, asString } from '../../../detectors/project-files.js';
import type { PythonFacts } from './facts.js';
import { found, type Outcome } from '../../../detectors/types.js';

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

const toolTable = (pm: PythonPackageManager, strength: number, path: string[]): Signal => ({
  pm,
  strength,
  test: async (facts) => {
    let table: Record<string, unknown> | null = asObject(facts.pyproject?.tool);
    for (const key of path) table = asObject(table?.[key]);
    return table ? `pyproject.toml has [tool.${path.join('.')}]` : null;
  },
});

const lockfile = 3;
const configuration = 2;
const requirements = 0;

/** Environments for tests and tooling only: the app itself is not run through hatch then. */
const toolingEnvironments = /^(hatch-)?(tests?|lint|style|types|typing|docs?|cov(erage)?|check|static-analysis|fmt|format|mypy|bench(mark)?s?|release)$/;

/**
 * Hatch manages the project only when it really uses hatch environments to run it, with hatchling
 * building it: `{root:uri}` means something to hatchling alone. `[tool.hatch.version]` or
 * `[tool.hatch.build]` alone, or a hatch.toml with only test environments, is a pip or uv project.
 */
async function hatchEnvironments(facts: PythonFacts): Promise<string | null> {
  const backend = asString(asObject(facts.pyproject?.['build-system'])?.['build-backend']);
  if (backend !== 'hatchling.build') return null;
  const hatchToml = await facts.files.toml('hatch.toml');
  const sources: [string, unknown][] = [
    ['pyproject.toml [tool.hatch.envs]', asObject(asObject(facts.pyproject?.tool)?.hatch)?.envs],
    ['hatch.toml [envs]', hatchToml?.envs],
  ];
  for (const [where, envs] of sources) {
    const names = Object.keys(asObject(envs) ?? {}).filter((name) => !toolingEnvironments.test(name));
    if (names.length > 0) return `${where} defines the ${names.join(', ')} environment${names.length > 1 ? 's' : ''} and hatchling builds it`;
  }
  return null;
}

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
  { pm: 'hatch', strength: configuration, test: hatchEnvironments },
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
    return found('pip', [{ about: 'packageManager', says: 'no uv.lock, poetry.lock, pdm.lock, Pipfile.lock, Pipfile or tool table in pyproject.toml: pip' }]);
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
