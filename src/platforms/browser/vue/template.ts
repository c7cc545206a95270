/**
 * A Vue app's own module beside the init, ez-pixel.vue-errors.(ts|js): reportVueErrors(app), which
 * the entry wraps around createApp(…) (or calls in vite-ssg's setup callback). Vue catches what
 * components throw (event handlers, lifecycle hooks, watchers, render) and only logs it, so no
 * error listener of the SDK sees it; the app's config.errorHandler does. It is not in the SDK, so
 * the SDK stays framework-free (and within its 3 KB), and not in the init, whose plain
 * `import './ez-pixel.init'` stays first: a named import of it would be moved below the packages
 * by ESLint's import/order (antfu/vitesse), and a second import of it is import/no-duplicates.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { posix } from 'node:path';
import { generatedHeader, jsMarkerComment } from '../../node/templates/node.js';
import type { InitWiring } from '../../../templates/index.js';

export const VUE_HANDLER = 'reportVueErrors';
/** The report's message: a string the minifier keeps, so doctor finds the handler in the bundle by it. */
export const VUE_REPORT = 'caught by Vue (app.config.errorHandler)';

/** package.json depends on vue (read synchronously: the init's text is chosen while the wiring is made). */
export function dependsOnVue(root: string): boolean {
  try {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, Record<string, unknown> | undefined>;
    return ['dependencies', 'devDependencies'].some((field) => typeof pkg[field]?.vue === 'string');
  } catch {
    return false;
  }
}

/** The module's path and how the entry names it, beside the init and named as the init is. */
export function vueModule(wiring: Pick<InitWiring, 'initFile' | 'specifier'>): { path: string; specifier: string } {
  const rename = (name: string) => name.replace(/ez-pixel\.init(?=(\.[jt]s)?$)/, 'ez-pixel.vue-errors');
  return { path: posix.join(posix.dirname(wiring.initFile), rename(posix.basename(wiring.initFile))), specifier: rename(wiring.specifier) };
}

/** The entry's import of the handler, inserted after the entry's last import. */
export function vueImportLine(wiring: Pick<InitWiring, 'initFile' | 'specifier'>): string {
  return `import { ${VUE_HANDLER} } from '${vueModule(wiring).specifier}'; ${jsMarkerComment}`;
}

/** The line vite-ssg's setup callback gets; `app` is how the callback names the app (`app`, `ctx.app`). */
export function vueSetupLine(app: string): string {
  return `${VUE_HANDLER}(${app}); ${jsMarkerComment}`;
}

/** The module's text, typed for a TypeScript app. */
export function vueErrorsSource(typed: boolean): string {
  const t = (annotation: string) => (typed ? annotation : '');
  return [
    generatedHeader,
    "import { reportPixel } from '@ez-pixel/browser';",
    ...(typed ? ["import type { App } from 'vue';"] : []),
    '',
    "// Vue catches what its components throw (event handlers, lifecycle hooks, watchers, render) and",
    '// only logs it, so no error listener sees it: the entry passes its app here. Each error is',
    "// reported, then handed to the app's own errorHandler (set before or after this one), else logged",
    '// to the console as Vue logs it.',
    `export function ${VUE_HANDLER}${t('<T extends App>')}(app${t(': T')})${t(': T')} {`,
    '  let own = app.config.errorHandler;',
    `  const report${t(": NonNullable<App['config']['errorHandler']>")} = (error, instance, info) => {`,
    `    reportPixel('${VUE_REPORT}', { error, context: { vue_info: info } });`,
    '    if (own) own(error, instance, info);',
    '    else console.error(error);',
    '  };',
    "  // An accessor, so a handler the app sets later is chained behind this one instead of replacing it.",
    '  Object.defineProperty(app.config, \'errorHandler\', {',
    '    configurable: true,',
    '    enumerable: true,',
    '    get: () => report,',
    `    set: (handler${t(": App['config']['errorHandler']")}) => {`,
    '      own = handler;',
    '    },',
    '  });',
    '  return app;',
    '}',
    '',
  ].join('\n');
}
