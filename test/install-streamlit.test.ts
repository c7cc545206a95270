// End to end on a Streamlit app (py-streamlit-uv, the newest Streamlit from PyPI, set up with uv
// as its README says): install with the real uv, start the real `streamlit run` headless on
// 127.0.0.1, open one browser session over Streamlit's own websocket (test/helpers/streamlit_session.py)
// so the script runs and raises, and count the events at a real ingest; a first session that opens
// a page of the multipage app (pages/) reports too. The app's own AppTest suite
// passes before and after; doctor is green; uninstall gives back every byte.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { copyFixture, makeProject } from './helpers/fixtures.js';
import { freePort, until } from './helpers/run-app.js';
import { git, runCli, treeDifferences, treeFingerprint, useSuiteIngest } from './install-helpers.js';

const sessionHelper = fileURLToPath(new URL('./helpers/streamlit_session.py', import.meta.url));

const ingest = useSuiteIngest();


const errors = () => ingest().accepted.filter((accepted) => accepted.event.type === 'ZeroDivisionError').map((accepted) => accepted.event);

async function eventCount(count: number): Promise<void> {
  await until(() => (errors().length >= count ? true : undefined), 20_000, () => `${count} ZeroDivisionError events (have ${errors().length})`);
  await new Promise((resolve) => setTimeout(resolve, 500)); // a duplicate would have arrived by now
}

describe('Streamlit (py-streamlit-uv)', () => {
  it('reports each failed script run once under streamlit run, keeps AppTest passing, doctor green, uninstall byte-identical', async () => {
    const dir = await copyFixture('py-streamlit-uv');
    const python = join(dir, '.venv', 'bin', 'python');
    await execa('uv', ['sync', '--quiet'], { cwd: dir });
    const userTests = () => execa(join(dir, '.venv', 'bin', 'pytest'), ['-q', '-p', 'no:cacheprovider'], { cwd: dir, reject: false, env: { EZ_PIXEL_DISABLED: '1' } });
    expect((await userTests()).exitCode).toBe(0);
    const original = treeFingerprint(dir);

    const run = await runCli(['install', '--yes', '--cwd', dir, '--ingest-url', ingest().url], { cwd: dir });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toContain('python / streamlit, uv, entry streamlit_app.py');
    expect(run.stderr).toContain('README.md starts it with uv run streamlit run streamlit_app.py');
    expect(run.stderr).toContain('2. uv run streamlit run streamlit_app.py');
    expect(run.stderr).toContain('modified pages/1_Statement.py');
    const again = await runCli(['install', '--yes', '--cwd', dir, '--ingest-url', ingest().url], { cwd: dir });
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.stderr).toContain('Already set up: nothing to change.');

    const port = await freePort();
    const app = execa(join(dir, '.venv', 'bin', 'streamlit'), ['run', 'streamlit_app.py', '--server.headless', 'true', '--server.address', '127.0.0.1', '--server.port', String(port), '--browser.gatherUsageStats', 'false'], {
      cwd: dir,
      env: { FIXTURE_CRASH: '1' },
      reject: false,
      all: true,
      timeout: 120_000,
    });
    let output = '';
    app.all?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      const base = `http://127.0.0.1:${port}`;
      await until(async () => ((await fetch(`${base}/_stcore/health`).then((r) => r.text(), () => '')) === 'ok' ? true : undefined), 60_000, () => `streamlit to answer: ${output}`);
      expect((await fetch(`${base}/`)).status).toBe(200);
      expect(errors()).toEqual([]); // nothing runs the script until a session opens

      // A visitor's link to a page of the multipage app: this server process runs only that page,
      // never streamlit_app.py, and the page's own init line still reports its error.
      const page = await execa(python, [sessionHelper, String(port), '1', 'Statement'], { cwd: dir, reject: false, timeout: 90_000 });
      expect(page.exitCode, page.stderr).toBe(0);
      expect(page.stdout.trim()).toBe(`shown: ["'2026-12'"]`);
      const pageErrors = () => ingest().accepted.filter((accepted) => accepted.event.type === 'KeyError').map((accepted) => accepted.event);
      await until(() => (pageErrors().length > 0 ? true : undefined), 20_000, () => `the page's KeyError event: ${output}`);
      expect(pageErrors()[0]!.stack[0]).toMatchObject({ file: 'pages/1_Statement.py', fn: 'statement', in_app: true });
      expect(errors()).toEqual([]);

      // One session, one run: the page shows the exception as before, and one event arrives.
      const first = await execa(python, [sessionHelper, String(port), '1'], { cwd: dir, reject: false, timeout: 90_000 });
      expect(first.exitCode, first.stderr).toBe(0);
      expect(first.stdout.trim()).toBe("shown: ['division by zero']");
      await eventCount(1);
      expect(errors()).toHaveLength(1);
      const [event] = errors();
      expect(event!.stack[0]).toMatchObject({ file: 'streamlit_app.py', fn: 'balance', in_app: true });
      expect(event!.stack.slice(2).some((frame: { in_app: boolean }) => frame.in_app)).toBe(false);

      // Two more runs (Streamlit reruns the script on each interaction): one event each, no more.
      const again = await execa(python, [sessionHelper, String(port), '2'], { cwd: dir, reject: false, timeout: 90_000 });
      expect(again.stdout.trim().split('\n')).toEqual(["shown: ['division by zero']", "shown: ['division by zero']"]);
      await eventCount(3);
      expect(errors()).toHaveLength(3);
      expect(new Set(errors().map((e) => e.event_id)).size).toBe(3);
      expect(output).toContain('Uncaught app execution'); // Streamlit's own log line is still there
    } finally {
      app.kill('SIGTERM');
      await app;
    }

    // The user's test suite: AppTest still loads the wired script; with the SDK on, its crash test is one event too.
    const tests = await userTests();
    expect(tests.exitCode, tests.stdout).toBe(0);
    const live = await execa(join(dir, '.venv', 'bin', 'pytest'), ['-q', '-p', 'no:cacheprovider'], { cwd: dir, reject: false });
    expect(live.exitCode, live.stdout).toBe(0);
    await eventCount(4);
    expect(errors()).toHaveLength(4);

    const doctor = await runCli(['doctor', '--cwd', dir], { cwd: dir });
    expect(doctor.exitCode, doctor.stdout + doctor.stderr).toBe(0);
    expect(doctor.stdout).toMatch(/✓ entry-runs +streamlit_app\.py is what `uv run streamlit run streamlit_app\.py` \(README\.md\) loads/);
    expect(doctor.stdout).toMatch(/✓ probe/);
    expect(doctor.stdout).not.toMatch(/^[!✗]/m);

    const uninstall = await runCli(['uninstall', '--yes', '--cwd', dir], { cwd: dir });
    expect(uninstall.exitCode, uninstall.stderr).toBe(0);
    expect(treeDifferences(original, treeFingerprint(dir)).filter((path) => !path.startsWith('.venv/') && !path.includes('__pycache__'))).toEqual([]);
    expect(await git(dir, ['status', '--porcelain'])).toBe('');
  }, 300_000); // uv sync, install, a Streamlit server, two pytest runs and doctor on a shared 2-core machine
});

describe('a Streamlit page added after install (py-streamlit-uv)', () => {
  it('doctor names it and the fix, a re-run of install wires only it and reports its error under AppTest, uninstall byte-identical', async () => {
    const dir = await copyFixture('py-streamlit-uv');
    const python = join(dir, '.venv', 'bin', 'python');
    await execa('uv', ['sync', '--quiet'], { cwd: dir });
    const original = treeFingerprint(dir);
    const first = await runCli(['install', '--yes', '--cwd', dir, '--ingest-url', ingest().url], { cwd: dir });
    expect(first.exitCode, first.stderr).toBe(0);
    expect(first.stderr).toContain('modified pages/1_Statement.py');
    const wiredStatement = readFileSync(join(dir, 'pages', '1_Statement.py'), 'utf8');

    // The user adds a page after install; a fresh server that opens it first never runs the entry.
    const newPage = [
      '"""The budget page, added after ez-pixel install. With FIXTURE_CRASH=1 it divides by an empty budget."""',
      'import os',
      '',
      'import streamlit as st',
      '',
      '',
      'def share(budget):',
      '    return 100 / len(budget)',
      '',
      '',
      'st.title("Budget")',
      'st.write(share([] if os.environ.get("FIXTURE_CRASH") == "1" else [1, 2]))',
      '',
    ].join('\n');
    writeFileSync(join(dir, 'pages', '2_Budget.py'), newPage);

    const unwired = await runCli(['doctor', '--no-send', '--cwd', dir], { cwd: dir });
    expect(unwired.exitCode, unwired.stdout).not.toBe(0);
    expect(unwired.stdout).toMatch(/✗ streamlit-pages +pages\/2_Budget\.py does not load ez_pixel_init, so a fresh server that opens it first reports nothing/);
    expect(unwired.stdout).toContain('npx ez-pixel install (a re-run wires the new pages)');
    expect(unwired.stdout).not.toContain('1_Statement.py');

    const rerun = await runCli(['install', '--yes', '--cwd', dir, '--ingest-url', ingest().url], { cwd: dir });
    expect(rerun.exitCode, rerun.stderr).toBe(0);
    expect(rerun.stderr).toContain('modified pages/2_Budget.py');
    expect(rerun.stderr).not.toContain('modified pages/1_Statement.py');
    expect(rerun.stderr).not.toContain('modified streamlit_app.py');
    expect(readFileSync(join(dir, 'pages', '1_Statement.py'), 'utf8')).toBe(wiredStatement);
    expect(readFileSync(join(dir, 'pages', '2_Budget.py'), 'utf8')).toBe(
      newPage.replace('import os\n', `${wiredStatement.split('\n').find((line) => line.includes('# ez-pixel'))}\nimport os\n`),
    );
    const state = JSON.parse(readFileSync(join(dir, '.ez-pixel', 'install.json'), 'utf8'));
    expect(state.entry).toMatchObject({ path: 'streamlit_app.py', hookFiles: ['pages/1_Statement.py', 'pages/2_Budget.py'] });
    const third = await runCli(['install', '--yes', '--cwd', dir, '--ingest-url', ingest().url], { cwd: dir });
    expect(third.stderr).toContain('Already set up: nothing to change.');

    // The new page on its own, as a fresh process would run it: its error reaches the ingest.
    const budgetErrors = () => ingest().accepted.filter((accepted) => accepted.event.type === 'ZeroDivisionError' && accepted.event.stack[0]?.file === 'pages/2_Budget.py');
    const appTest = `from streamlit.testing.v1 import AppTest\nat = AppTest.from_file(${JSON.stringify(join(dir, 'pages', '2_Budget.py'))}, default_timeout=60).run()\nprint(at.exception[0].message)\n`;
    const crash = await execa(python, ['-c', appTest], { cwd: dir, reject: false, env: { FIXTURE_CRASH: '1' }, timeout: 90_000 });
    expect(crash.exitCode, crash.stderr).toBe(0);
    expect(crash.stdout.trim()).toBe('division by zero');
    await until(() => (budgetErrors().length > 0 ? true : undefined), 20_000, () => `the new page's event: ${crash.stderr}`);
    expect(budgetErrors()[0]!.event.stack[0]).toMatchObject({ file: 'pages/2_Budget.py', fn: 'share', in_app: true });

    const doctor = await runCli(['doctor', '--no-send', '--cwd', dir], { cwd: dir });
    expect(doctor.stdout).toMatch(/✓ streamlit-pages +every page in pages\/ loads ez_pixel_init/);
    expect(doctor.exitCode, doctor.stdout).toBe(0);

    // A new page that does not parse cannot take the line: doctor and each re-run say so, with the line to add by hand.
    writeFileSync(join(dir, 'pages', '3_Draft.py'), 'def draft(:\n');
    const draftDoctor = await runCli(['doctor', '--no-send', '--cwd', dir], { cwd: dir });
    expect(draftDoctor.exitCode).not.toBe(0);
    expect(draftDoctor.stdout).toMatch(/✗ streamlit-pages +pages\/3_Draft\.py does not load ez_pixel_init/);
    expect(draftDoctor.stdout).toContain('fix: cannot parse pages/3_Draft.py: invalid syntax');
    const draftRerun = await runCli(['install', '--yes', '--cwd', dir, '--ingest-url', ingest().url], { cwd: dir });
    expect(draftRerun.exitCode, draftRerun.stderr).toBe(0);
    expect(draftRerun.stderr).toContain('cannot parse pages/3_Draft.py');
    expect(readFileSync(join(dir, 'pages', '3_Draft.py'), 'utf8')).toBe('def draft(:\n');
    rmSync(join(dir, 'pages', '3_Draft.py'));

    const uninstall = await runCli(['uninstall', '--yes', '--cwd', dir], { cwd: dir });
    expect(uninstall.exitCode, uninstall.stderr).toBe(0);
    expect(readFileSync(join(dir, 'pages', '2_Budget.py'), 'utf8')).toBe(newPage);
    rmSync(join(dir, 'pages', '2_Budget.py'));
    expect(treeDifferences(original, treeFingerprint(dir)).filter((path) => !path.startsWith('.venv/') && !path.includes('__pycache__'))).toEqual([]);
    expect(await git(dir, ['status', '--porcelain'])).toBe('');
  }, 240_000); // uv sync, three installs, AppTest and two doctor runs on a shared 2-core machine
});

describe('a framework ez-pixel cannot wire (Gradio)', () => {
  it('is named, the manual steps are printed, exit 5 and nothing changes; --framework script wires it as a script', async () => {
    const dir = await makeProject('gradio-app', {
      'requirements.txt': 'gradio==5.9.1\n',
      'app.py': 'import gradio as gr\n\n\ndef greet(name):\n    return "Hello " + name\n\n\ngr.Interface(fn=greet, inputs="text", outputs="text").launch()\n',
    });
    const original = treeFingerprint(dir);
    const run = await runCli(['install', '--yes', '--cwd', dir, '--ingest-url', ingest().url], { cwd: dir });
    expect(run.exitCode, run.stderr).toBe(5);
    expect(run.stderr).toContain('requirements.txt depends on gradio: Gradio is not supported');
    expect(run.stderr).toContain('could not wire ez-pixel automatically: Gradio is not supported: it catches the exceptions your event handlers raise itself');
    expect(run.stdout).toContain('npx ez-pixel install --framework script');
    expect(run.stdout).toContain('ez_pixel.report_pixel("on_submit failed", error)');
    expect(run.stderr).toContain('do this instead');
    expect(run.stderr).not.toContain('then run ez-pixel install again');
    expect(run.stderr).toContain('nothing was changed');
    expect(treeDifferences(original, treeFingerprint(dir))).toEqual([]);
    expect(await git(dir, ['status', '--porcelain'])).toBe('');

    const forced = await runCli(['install', '--yes', '--dry-run', '--framework', 'script', '--cwd', dir, '--ingest-url', ingest().url], { cwd: dir });
    expect(forced.exitCode, forced.stderr).toBe(0);
    expect(forced.stdout + forced.stderr).toContain('import ez_pixel_init');
    expect(treeDifferences(original, treeFingerprint(dir))).toEqual([]);
  });
});
