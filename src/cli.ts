/**
 * The commander program. It only declares commands and flags; each command's module is imported
 * when that command runs, so `ez-pixel --help` stays fast (ts-morph is never loaded here).
 */
import { Command, CommanderError, Option } from 'commander';
import { CliError, ExitCode } from './exit-codes.js';
import { version } from './version.js';
import { platformNames } from './platforms/names.js';

type Action = (options: Record<string, unknown>) => Promise<number>;

/**
 * Wraps a lazily imported command so the program records its exit code. `cwdGiven` tells a
 * command whether --cwd was typed: then it means that directory, never a project below it.
 */
function lazy(load: () => Promise<Action>): (options: Record<string, unknown>, command: Command) => Promise<void> {
  return async (options, command) => {
    const action = await load();
    exitCode = await action({ ...options, cwdGiven: command.getOptionValueSource('cwd') === 'cli' });
  };
}

let exitCode: number = ExitCode.ok;

/** `--cwd`, shown without the directory it defaults to, so the help text is the same everywhere. */
const cwdOption = () => new Option('--cwd <dir>', 'project directory').default(process.cwd(), 'the current directory');

/**
 * The program. Its help is pre-rendered at build time for bin/ez-pixel.js (scripts/render-help.mjs),
 * so the help must not depend on the terminal or the directory: it wraps at 80 columns.
 */
export function buildProgram(): Command {
  const program = new Command('ez-pixel')
    .description('Error tracking wired into your project with one command.')
    .version(version, '-v, --version')
    .configureHelp({ helpWidth: 80 })
    .showHelpAfterError('(run ez-pixel --help for usage)')
    .exitOverride();

  program
    .command('install')
    .description('detect the project, install the SDK, wire the init and generate a project key')
    .option('-y, --yes', 'never prompt; take the detected choices (required without a TTY)')
    .addOption(cwdOption())
    .addOption(new Option('--runtime <runtime>', 'force the runtime').choices([...platformNames]))
    .addOption(
      new Option('--framework <name>', 'force the framework').choices([
        'next', 'sveltekit', 'react-router', 'remix', 'nest', 'express', 'fastify', 'koa', 'hono', 'trpc', 'plain', 'django', 'flask', 'fastapi', 'starlette', 'streamlit', 'script', 'static',
      ]),
    )
    .option('--entry <file>', 'file to wire the init into, relative to --cwd')
    .addOption(
      new Option('--pm <name>', 'force the package manager').choices([
        'npm', 'pnpm', 'yarn', 'yarn-berry', 'bun', 'uv', 'poetry', 'pdm', 'pipenv', 'hatch', 'pip',
      ]),
    )
    .option('--key <key>', 'project key to use (default: keep the existing one, or generate pk_live_…)')
    .option('--ingest-url <url>', 'where events are sent (default: the local `ez-pixel listen` URL)')
    .option('--skip-install', 'wire the init but do not run the package manager')
    .option('--from-registry', 'install the SDK from the registry instead of the bundled artifact')
    .option('--dry-run', 'print the plan (a diff and the commands) and change nothing')
    .option('--json', 'print the plan or the result as JSON on stdout')
    .option('--verbose', 'show package-manager output as it runs')
    .action(lazy(async () => (await import('./commands/install.js')).installCommand));

  program
    .command('doctor')
    .description('check every link from the manifest to a live test event')
    .addOption(cwdOption())
    .option('--json', 'print the checks as JSON on stdout')
    .option('--no-send', 'skip the live probe that sends one test event')
    .option('--ingest-url <url>', 'check (and probe) this ingest URL instead of the configured one')
    .option('--key <key>', 'the project key the configuration should hold')
    .action(lazy(async () => (await import('./commands/doctor.js')).doctorCommand));

  program
    .command('uninstall')
    .description('remove everything install added')
    .option('-y, --yes', 'never prompt (required without a TTY)')
    .addOption(cwdOption())
    .option('--dry-run', 'print the plan and change nothing')
    .option('--json', 'print the plan or the result as JSON on stdout')
    .option('--verbose', 'show package-manager output as it runs')
    .action(lazy(async () => (await import('./commands/uninstall.js')).uninstallCommand));

  const retentionOptions = (command: Command) =>
    command
      .option('--keep-first <n>', 'events kept from the start of each issue', '10')
      .option('--keep-latest <n>', 'most recent events kept of each issue', '200')
      .option('--retain-days <days>', 'also remove events (and quiet issues) older than this');

  retentionOptions(
    program
      .command('listen')
      .description('run a local ingest server and show events as they arrive')
      .option('--port <port>', 'port to listen on (0 picks a free one)', '8765')
      .option('--host <host>', 'interface to bind', '127.0.0.1')
      .option('--database <file|url>', 'SQLite file, or postgres://… for PostgreSQL', '.ez-pixel/events.db')
      .option('--keys <keys>', 'comma-separated project keys to accept (default: any well-formed key)')
      .option('--source-maps <dirs>', "comma-separated build folders holding browser events' source maps (default: dist,build,out,.next,.svelte-kit/output/client,build/client,.output/public)")
      .option('--json', 'print one JSON line per event instead of the feed'),
  ).action(lazy(async () => (await import('./commands/listen.js')).listenCommand));

  retentionOptions(
    program
      .command('serve')
      .description('run the production ingest: keys from the database, rate limits, admin token')
      .option('--port <port>', 'port to listen on (0 picks a free one)', '8765')
      .option('--host <host>', 'interface to bind (put a TLS proxy in front)', '127.0.0.1')
      .option('--database <file|url>', 'SQLite file, or postgres://… (default: $EZ_PIXEL_DATABASE, else ez-pixel.db)')
      .option('--admin-token-file <file>', 'file holding the admin token (default: $EZ_PIXEL_ADMIN_TOKEN)')
      .option('--rate-limit <n>', 'events per second per project key, per process', '50')
      .option('--burst <n>', 'events a key may send at once before the rate applies', '200')
      .option('--max-upload-mb <n>', 'largest source-map upload (ez-pixel sourcemaps upload) accepted, in MB', '64'),
  ).action(lazy(async () => (await import('./commands/serve.js')).serveCommand));

  program
    .command('sourcemaps')
    .description("send a production build's source maps to `serve`")
    .command('upload')
    .description('upload the source maps of the build folders for a release (replaces that release\'s maps)')
    .argument('[dirs...]', 'build folders (default: the usual build folders, those that exist)')
    .option('--release <release>', 'the release the build is deployed as (what the SDK sends as release; default: the one the build gives the page, e.g. VITE_EZ_PIXEL_RELEASE)')
    .option('--url <url>', 'the serve URL (default: the one the build gives the page: the environment, the env files, the init)')
    .option('--key <key>', 'the project key (default: the one the build gives the page: the environment, the env files, the init)')
    .option('--admin-token-file <file>', 'file holding the admin token (default: $EZ_PIXEL_ADMIN_TOKEN)')
    .addOption(cwdOption())
    .action(async (dirs: string[], options: Record<string, unknown>) => {
      exitCode = await (await import('./commands/sourcemaps.js')).sourcemapsUploadCommand(dirs, options);
    });

  const keys = program.command('keys').description("manage the project keys `serve` accepts (in its database)");
  const databaseOption = (command: Command) =>
    command.option('--database <file|url>', 'SQLite file, or postgres://… (default: $EZ_PIXEL_DATABASE, else ez-pixel.db)');
  databaseOption(keys.command('add').description('add a project key and print it'))
    .option('--key <key>', 'the key to add (default: a new pk_live_… key)')
    .option('--name <name>', 'a label, e.g. the project or team')
    .action(lazy(async () => (await import('./commands/keys.js')).keysAddCommand));
  databaseOption(keys.command('list').description('list the keys, active and revoked'))
    .option('--json', 'print the keys as JSON')
    .action(lazy(async () => (await import('./commands/keys.js')).keysListCommand));
  databaseOption(keys.command('revoke').description('stop accepting a key (serve answers 401)').argument('<key>'))
    .action(async (key: string, options: Record<string, unknown>) => {
      exitCode = await (await import('./commands/keys.js')).keysRevokeCommand(key, options);
    });

  return program;
}

/** Runs the CLI and returns the process exit code; never throws. */
export async function run(argv: string[]): Promise<number> {
  exitCode = ExitCode.ok;
  try {
    await buildProgram().parseAsync(argv);
    return exitCode;
  } catch (error) {
    return reportFailure(error);
  }
}

function reportFailure(error: unknown): number {
  if (error instanceof CommanderError) {
    // commander has already printed its message; help and version are successes.
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return ExitCode.ok;
    if (error.code === 'commander.help') return ExitCode.ok;
    return ExitCode.usage;
  }
  if (error instanceof CliError) {
    process.stderr.write(`ez-pixel: ${error.message}\n${error.detail ? `${error.detail}\n` : ''}`);
    return error.code;
  }
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`ez-pixel: unexpected error (please report it)\n${text}\n`);
  return ExitCode.failed;
}
