/**
 * pip-specific checks: the interpreter pip would install into must be a virtualenv, or at
 * least not a system Python its distribution manages (PEP 668). We never pass
 * --break-system-packages.
 */
import { execa } from 'execa';

export type PipTarget = { ok: true } | { ok: false; reason: string };

const PROBE = [
  'import json, os, sys, sysconfig',
  'marker = os.path.join(sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED")',
  'print(json.dumps({"venv": sys.prefix != sys.base_prefix, "managed": os.path.exists(marker)}))',
].join('\n');

export async function checkPipTarget(interpreter: string | null): Promise<PipTarget> {
  const createVenv = 'create a virtualenv first: python3 -m venv .venv, then run ez-pixel install again';
  if (interpreter === null) return { ok: false, reason: `no Python interpreter was found for this project; ${createVenv}` };
  const probe = await execa(interpreter, ['-c', PROBE], { reject: false, timeout: 15_000 });
  if (probe.exitCode !== 0) {
    return { ok: false, reason: `could not run ${interpreter}: ${String(probe.stderr || probe.shortMessage).trim()}` };
  }
  const facts = JSON.parse(String(probe.stdout)) as { venv: boolean; managed: boolean };
  if (!facts.venv && facts.managed) {
    return {
      ok: false,
      reason:
        `${interpreter} is a system Python managed by your distribution (PEP 668: EXTERNALLY-MANAGED); ` +
        `pip must not install into it. ${createVenv}`,
    };
  }
  return { ok: true };
}
