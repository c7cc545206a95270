/**
 * The apps of a pm2 ecosystem file (`ecosystem.config.js`, `.cjs`, `.mjs` or `.json`): each
 * `apps[].script`, joined to its `cwd`. A JavaScript ecosystem file is read through its AST,
 * never run: only string literals count (`script: 'npm'` or a computed path is not a file we can
 * name). `script: 'npm', args: 'start'` and other commands that are not files are skipped.
 */
import { posix } from 'node:path';
import type { Node } from 'ts-morph';
import { parseFile, release, type ParsedFile } from '../wiring/js-ast.js';
import { parseJsonc } from '../../../detectors/jsonc.js';
import { asObject, asString, type ProjectFiles } from '../../../detectors/project-files.js';

export interface Pm2App {
  /** The app's script, relative to the project root. */
  path: string;
  /** The app's name, when the file gives one. */
  name: string | null;
}

const scriptFile = /\.[cm]?[jt]sx?$/;

export async function ecosystemApps(files: ProjectFiles, ecosystem: string): Promise<Pm2App[]> {
  const file = posix.normalize(ecosystem.replace(/^\.\//, ''));
  const text = await files.text(file);
  if (text === null) return [];
  const apps = file.endsWith('.json') ? jsonApps(text) : await astApps(file, text);
  const dir = posix.dirname(file);
  return apps
    .filter((app) => scriptFile.test(app.script))
    .map((app) => ({ path: posix.normalize(posix.join(dir, app.cwd ?? '.', app.script)), name: app.name }))
    .filter((app) => !app.path.startsWith('../') && !posix.isAbsolute(app.path));
}

interface DeclaredApp {
  script: string;
  cwd: string | null;
  name: string | null;
}

function jsonApps(text: string): DeclaredApp[] {
  const config = asObject(parseJsonc(text));
  const apps = config?.apps;
  const list = Array.isArray(apps) ? apps : apps === undefined ? [] : [apps];
  return list.flatMap((entry) => {
    const app = asObject(entry);
    const script = asString(app?.script);
    return script ? [{ script, cwd: asString(app?.cwd), name: asString(app?.name) }] : [];
  });
}

/** `module.exports = { apps: [{ script: './src/server.js' }] }`, `export default {…}`: any object's `apps` in the file. */
async function astApps(path: string, text: string): Promise<DeclaredApp[]> {
  const result = await parseFile(path, text);
  if (result.kind === 'error') return [];
  const { parsed } = result;
  try {
    return parsed.file
      .getDescendants()
      .filter((node) => parsed.Node.isPropertyAssignment(node) && propertyName(parsed, node) === 'apps')
      .flatMap((apps) => {
        const value = parsed.Node.isPropertyAssignment(apps) ? apps.getInitializer() : undefined;
        if (!value) return [];
        const elements = parsed.Node.isArrayLiteralExpression(value) ? value.getElements() : [value];
        return elements.flatMap((element) => {
          if (!parsed.Node.isObjectLiteralExpression(element)) return [];
          const script = stringProperty(parsed, element, 'script');
          return script ? [{ script, cwd: stringProperty(parsed, element, 'cwd'), name: stringProperty(parsed, element, 'name') }] : [];
        });
      });
  } finally {
    release(parsed);
  }
}

function propertyName(parsed: ParsedFile, node: Node): string | null {
  if (!parsed.Node.isPropertyAssignment(node)) return null;
  const name = node.getNameNode();
  return parsed.Node.isStringLiteral(name) ? name.getLiteralValue() : name.getText();
}

function stringProperty(parsed: ParsedFile, object: Node, key: string): string | null {
  if (!parsed.Node.isObjectLiteralExpression(object)) return null;
  const property = object.getProperties().find((candidate) => propertyName(parsed, candidate) === key);
  const value = property && parsed.Node.isPropertyAssignment(property) ? property.getInitializer() : undefined;
  if (value && (parsed.Node.isStringLiteral(value) || parsed.Node.isNoSubstitutionTemplateLiteral(value))) return value.getLiteralValue();
  return null;
}
