/**
 * Node frameworks ez-pixel detects but cannot wire yet: Remix v2 (React Router 7's predecessor,
 * wired in react-router.ts). It bundles the app's modules for the server and the browser alike,
 * supplies its own server entry, and catches what loaders, actions and rendering throw (it renders
 * an error boundary), so neither a wired file nor the process hooks see a failed request. Wiring a
 * module under app/ put the Node SDK and the project key into the browser bundle (found on
 * remix-run/react-router-templates). Install names the framework, prints the steps by hand and
 * changes nothing (exit 5); `--framework plain` wires the file the steps name.
 */
import type { Evidence, UnsupportedFramework } from '../../../project.js';
import type { NodeFacts } from '../detect/facts.js';

const unsupported: Array<{ dependency: string; framework: UnsupportedFramework }> = [
  { dependency: '@remix-run/dev', framework: { name: 'Remix', catches: 'the errors of loaders, actions and rendering', reveal: 'npx remix reveal entry.server' } },
];

export function findUnsupportedNodeFramework(facts: NodeFacts): { framework: UnsupportedFramework; evidence: Evidence } | null {
  const found = unsupported.find(({ dependency }) => facts.dependencies.has(dependency));
  if (!found) return null;
  const says = `package.json depends on ${found.dependency}: ${found.framework.name} is not supported yet (it catches ${found.framework.catches} itself)`;
  return { framework: found.framework, evidence: { about: 'framework', says } };
}

/** What to do by hand: reveal the server entry, wire it as a plain file, report from handleError. */
export function unsupportedNodeFrameworkSteps(framework: UnsupportedFramework, typescript: boolean): string {
  const entry = `app/entry.server.${typescript ? 'tsx' : 'jsx'}`;
  const signature = typescript ? '(error: unknown, { request }: { request: Request })' : '(error, { request })';
  return [
    `// 1. Make the server entry ${framework.name} otherwise supplies itself a file of the app:`,
    `//      ${framework.reveal}${typescript ? '' : ' --no-typescript'}`,
    '// 2. Wire the SDK into it (the dependency, the init file and its import at the top):',
    `//      npx ez-pixel install --framework plain --entry ${entry}`,
    `// 3. ${framework.name} catches ${framework.catches}: report them from ${entry}`,
    '//    (these lines are yours: ez-pixel uninstall leaves them, so take them out with it):',
    "import { reportPixel } from '@ez-pixel/node';",
    '',
    `export function handleError${signature} {`,
    '  if (request.signal.aborted) return; // the client went away: nothing failed',
    "  reportPixel('request failed', { error, context: { request: { method: request.method, path: new URL(request.url).pathname } } });",
    '}',
  ].join('\n');
}
