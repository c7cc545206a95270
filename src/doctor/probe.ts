/**
 * Check 9, the live probe: runs the project's own init file in the project's own runtime with
 * EZ_PIXEL_PROBE set. The SDK then sends one test event through the real wiring and writes the
 * outcome to the file that variable names (see the SDK READMEs), which proves what no static check
 * can: the SDK loads, the key is accepted and the network path works.
 */
import { randomBytes } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { platformOf } from '../platforms/index.js';
import { fail, pass, type Check } from './check.js';
import type { DoctorContext } from './context.js';

const PROBE_TIMEOUT_MS = 20_000;

interface ProbeOutcome {
  ok: boolean;
  status?: number | null;
  event_id?: string;
  error?: string | null;
}

export async function runProbe(context: DoctorContext): Promise<Check> {
  const { project, wiring, options } = context;
  const outcomeFile = join(tmpdir(), `ez-pixel-probe-${randomBytes(6).toString('hex')}.json`);
  const env: Record<string, string> = { EZ_PIXEL_PROBE: outcomeFile };
  if (options.ingestUrl) env.EZ_PIXEL_INGEST_URL = options.ingestUrl;
  const { argv, env: managerEnv, cleanup } = await platformOf(project).probeRun(context);
  try {
    const run = await execa(argv[0] as string, argv.slice(1), { cwd: project.root, env: { ...managerEnv, ...env }, reject: false, timeout: PROBE_TIMEOUT_MS });
    const outcome = await readOutcome(outcomeFile);
    if (outcome === null) {
      const why = run.timedOut ? `no answer within ${PROBE_TIMEOUT_MS / 1000} s` : String(run.stderr).trim().split('\n').at(-1) || `exit ${run.exitCode}`;
      return fail('probe', `running ${wiring.initFile} sent no probe event: ${why}`, 'run npx ez-pixel doctor --no-send to see which link is broken');
    }
    if (outcome.ok && typeof outcome.status === 'number' && outcome.status < 300) {
      return pass('probe', `a test event (${outcome.event_id}) went through the real wiring: HTTP ${outcome.status}`);
    }
    const why = outcome.status ? `HTTP ${outcome.status}` : (outcome.error ?? 'no answer');
    return fail('probe', `the test event was not accepted: ${why}`, outcome.status === 401 ? 'check the project key with the ingest' : 'start the ingest (npx ez-pixel listen) or fix the URL');
  } finally {
    await Promise.all([cleanup(), rm(outcomeFile, { force: true })]);
  }
}

async function readOutcome(path: string): Promise<ProbeOutcome | null> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as ProbeOutcome;
  } catch {
    return null;
  }
}
