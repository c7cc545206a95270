// Process-level timing shared by the CLI benchmarks: alternate the commands so machine noise
// hits each the same, then report medians and the spread.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Runs argv once and returns its wall time in ms; throws when it fails unless `allowFailure`. */
export function wallTimeMs(argv, { cwd, env, allowFailure = false } = {}) {
  const start = process.hrtime.bigint();
  const result = spawnSync(argv[0], argv.slice(1), { cwd, env, stdio: 'pipe' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0 && !allowFailure) {
    throw new Error(`${argv.join(' ')} exited ${result.status}: ${String(result.stderr).slice(-500)}`);
  }
  return ms;
}

/**
 * CPU time (user + system, ms) used so far by this process's finished children, from Linux's
 * /proc (clock ticks, so only a sum over many runs is precise); null elsewhere.
 */
function childrenCpuMs() {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    // Fields 16 and 17 of proc(5), cutime and cstime, counted from the state field (3).
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / ticksPerSecond();
  } catch {
    return null;
  }
}

let ticks;
const ticksPerSecond = () => (ticks ??= Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100);

/**
 * Times each named command `runs` times, alternating between them (after one warm-up each).
 * Returns { name: { median, min, max, runs, times, cpuMs } }: `times` in the order of the rounds,
 * `cpuMs` the mean CPU time of a run (less sensitive to a busy machine than wall time), or null.
 */
export function alternate(commands, runs = 9) {
  const times = Object.fromEntries(Object.keys(commands).map((name) => [name, []]));
  const cpu = Object.fromEntries(Object.keys(commands).map((name) => [name, 0]));
  for (const { argv, options } of Object.values(commands)) wallTimeMs(argv, options);
  for (let i = 0; i < runs; i++) {
    for (const [name, { argv, options }] of Object.entries(commands)) {
      const cpuBefore = childrenCpuMs();
      times[name].push(wallTimeMs(argv, options));
      cpu[name] += cpuBefore == null ? NaN : childrenCpuMs() - cpuBefore;
    }
  }
  return Object.fromEntries(
    Object.entries(times).map(([name, t]) => [name, {
      median: median(t), min: Math.min(...t), max: Math.max(...t), runs: t.length, times: t,
      cpuMs: Number.isNaN(cpu[name]) ? null : cpu[name] / t.length,
    }]),
  );
}

export const spread = ({ min, max }) => `${min.toFixed(0)}–${max.toFixed(0)} ms`;

/**
 * What `command` adds to `baseline`, round by round (both from one `alternate` run), so a noisy
 * moment on the machine slows both sides of the same difference. Returns { median, min, max, runs }.
 */
export function overhead(command, baseline) {
  const differences = command.times.map((ms, round) => ms - baseline.times[round]);
  return { median: median(differences), min: Math.min(...differences), max: Math.max(...differences), runs: differences.length };
}

/** Prints rows as JSON (for bench/run.mjs) with --json, else as a small table. */
export function emit(rows) {
  if (process.argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify(rows)}\n`);
    return;
  }
  for (const row of rows) {
    const peer = row.peer == null ? '' : ` | ${row.peer_name}: ${row.peer} ${row.unit} | ratio ${row.ratio}`;
    process.stdout.write(`${row.met ? 'met ' : 'MISS'} ${row.what}: ${row.ours} ${row.unit}${peer} | target ${row.target} | ${row.note}\n`);
  }
}
