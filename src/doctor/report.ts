/** Renders doctor's checks: ✓ ! ✗ lines and a closing count for people, or `{checks}` as JSON. */
import pc from 'picocolors';
import type { Check, CheckStatus } from './check.js';

const MARK: Record<CheckStatus, string> = { pass: pc.green('✓'), warn: pc.yellow('!'), fail: pc.red('✗') };

export function renderChecks(checks: Check[]): string {
  const width = Math.max(...checks.map((c) => c.id.length));
  const lines = checks.map((check) => {
    const head = `${MARK[check.status]} ${pc.bold(check.id.padEnd(width))}  ${check.message}`;
    return check.fix ? `${head}\n  ${' '.repeat(width)}  ${pc.dim('fix:')} ${check.fix}` : head;
  });
  const problems = checks.filter((c) => c.status === 'fail').length;
  const warnings = checks.filter((c) => c.status === 'warn').length;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const summary =
    problems === 0
      ? pc.green(`no problems found${warnings ? `, ${plural(warnings, 'warning')}` : ''}`)
      : pc.red(`${plural(problems, 'problem')} found${warnings ? `, ${plural(warnings, 'warning')}` : ''}`);
  return `${lines.join('\n')}\n\n${summary}\n`;
}

export function checksAsJson(checks: Check[]): string {
  return `${JSON.stringify({ checks: checks.map(({ id, status, message, fix }) => ({ id, status, message, fix })) }, null, 2)}\n`;
}
