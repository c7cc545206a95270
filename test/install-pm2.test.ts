// `"start": "pm2-runtime start ecosystem.config.js"`: the file pm2 starts is the ecosystem's
// apps[].script, read through the AST (or JSON) and never executed. install wires it, doctor sees
// it on the start path (and fails a file pm2 never loads), and the crash of the app pm2 really
// runs, in its cluster mode, reaches the ingest. Real npm, real pm2 from the registry.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detect } from '../src/detectors/index.js';
import { copyFixture, makeProject } from './helpers/fixtures.js';
import { doctorChecks, quietEnv, runCli, treeDifferences, treeFingerprint, useSuiteIngest } from './install-helpers.js';

const ingest = useSuiteIngest();

describe('node-pm2-ecosystem: npm start → pm2-runtime start ecosystem.config.js → src/api.js', () => {
  let dir: string;
  let original: Map<string, string>;
  const pm2Home = mkdtempSync(join(tmpdir(), 'ez-pixel-pm2-home-'));
  afterAll(() => rmSync(pm2Home, { recursive: true, force: true }));

  beforeAll(async () => {
    dir = await copyFixture('node-pm2-ecosystem');
    original = treeFingerprint(dir);
    const run = await runCli(['install', '--yes', '--cwd', dir, '--ingest-url', ingest().url], { cwd: dir });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toContain('scripts.start: pm2-runtime start ecosystem.config.js (pm2 app quotes-api: src/api.js) runs src/api.js');
  }, 240_000);

  it('wires the app pm2 starts, not main', async () => {
    const { checks, exitCode } = await doctorChecks(dir);
    expect(checks.get('project')?.message).toContain('entry src/api.js');
    expect(checks.get('entry-runs')).toMatchObject({ status: 'pass', message: 'src/api.js is on the start path: scripts.start: pm2-runtime start ecosystem.config.js (pm2 app quotes-api: src/api.js)' });
    expect(exitCode).toBe(0);
  });

  it('the app pm2-runtime runs in cluster mode reports its crash, with the in-app frame', async () => {
    const start = await execa('npm', ['start'], { cwd: dir, env: { ...quietEnv, PM2_HOME: pm2Home, FIXTURE_CRASH: '1' }, reject: false, all: true, timeout: 60_000 });
    expect(start.all).toContain('TypeError: no quote table for the crash day');
    const event = ingest().accepted.find((a) => a.event.type === 'TypeError')?.event;
    expect(event, start.all).toBeDefined();
    expect(event?.message).toBe('no quote table for the crash day');
    expect(event?.stack.find((frame) => frame.in_app)).toMatchObject({ file: 'src/quotes.js', fn: 'quoteFor' });
  }, 90_000);

  it('uninstall gives the tree back byte for byte', async () => {
    const run = await runCli(['uninstall', '--yes', '--cwd', dir], { cwd: dir });
    expect(run.exitCode, run.stderr).toBe(0);
    const changed = treeDifferences(original, treeFingerprint(dir)).filter((path) => !path.startsWith('node_modules') && path !== 'package-lock.json');
    expect(changed).toEqual([]);
  }, 120_000);
});

describe('pm2 ecosystem files are read, never run', () => {
  const service = (ecosystemName: string, ecosystem: string) => ({
    'package.json': JSON.stringify({ name: 'svc', private: true, main: 'index.js', scripts: { start: `pm2 start ${ecosystemName} --env production` } }),
    [ecosystemName]: ecosystem,
    'index.js': "module.exports = require('./lib/shared');\n",
    'lib/shared.js': 'module.exports = {};\n',
    'services/api/server.js': "require('../../lib/shared');\n",
    'services/worker/main.js': "require('../../lib/shared');\n",
  });

  it('takes apps[].script joined to its cwd from a .cjs file, without executing it', async () => {
    const dir = await makeProject('pm2-cjs', service('ecosystem.config.cjs', `require('node:fs').writeFileSync('executed', 'yes');
const common = { instances: 'max', exec_mode: 'cluster' };
module.exports = { apps: [{ ...common, name: "api", cwd: "services/api", script: "server.js" }] };
`));
    const detection = await detect(dir);
    expect(detection.kind === 'project' && detection.project.entry).toBe('services/api/server.js');
    expect(existsSync(join(dir, 'executed'))).toBe(false);
  });

  it('asks which app when the ecosystem file starts two', async () => {
    const dir = await makeProject('pm2-two', service('ecosystem.config.js', `export default {
  apps: [
    { name: 'api', script: './services/api/server.js' },
    { name: 'worker', script: 'services/worker/main.js' },
    { name: 'cron', script: 'npm', args: 'run cron' },
  ],
};
`));
    const detection = await detect(dir);
    expect(detection.kind).toBe('choose');
    expect(detection.kind === 'choose' && detection.choices.map((choice) => choice.label)).toEqual(['services/api/server.js', 'services/worker/main.js']);
  });

  it('reads a JSON ecosystem; doctor fails a wired main that pm2 never loads and names the app it runs', async () => {
    const dir = await makeProject('pm2-json', service('pm2.json', JSON.stringify({ apps: [{ name: 'api', script: 'services/api/server.js' }] })));
    const detection = await detect(dir);
    expect(detection.kind === 'project' && detection.project.entry).toBe('services/api/server.js');
    const install = await runCli(['install', '--yes', '--skip-install', '--cwd', dir, '--entry', 'index.js'], { cwd: dir });
    expect(install.exitCode, install.stderr).toBe(0);
    const { exitCode, checks } = await doctorChecks(dir);
    expect(exitCode).toBe(1);
    expect(checks.get('entry-runs')).toMatchObject({
      status: 'fail',
      message: 'scripts.start: pm2 start pm2.json --env production (pm2 app api: services/api/server.js): none of these loads index.js, so its init never runs',
      fix: expect.stringContaining('--entry services/api/server.js'),
    });
  });
});
