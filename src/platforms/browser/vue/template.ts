/**
 * A Vue app's part of the init: reportVueErrors(app), which the entry wraps around createApp(…)
 * (or calls in vite-ssg's setup callback). Vue catches what components throw (event handlers,
 * lifecycle hooks, watchers, render) and only logs it, so no error listener of the SDK sees it;
 * the app's config.errorHandler does. It lives in the init, not the SDK, so the SDK stays
 * framework-free (and within its 3 KB).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { jsMarkerComment } from '../../node/templates/node.js';

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

/** The entry's import of the init once it uses the handler (it replaces the plain `import './ez-pixel.init'`). */
export function vueImportLine(specifier: string): string {
  return `import { ${VUE_HANDLER} } from '${specifier}'; ${jsMarkerComment}`;
}

/** The line vite-ssg's setup callback gets; `app` is how the callback names the app (`app`, `ctx.app`). */
export function vueSetupLine(app: string): string {
  return `${VUE_HANDLER}(${app}); ${jsMarkerComment}`;
}

/** The init's lines after initPixel(): the handler, typed for a .ts init. */
export function vueInitLines(typed: boolean): { typeImports: string[]; lines: string[] } {
  const t = (annotation: string) => (typed ? annotation : '');
  return {
    typeImports: typed ? ["import type { App } from 'vue';"] : [],
    lines: [
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
    ],
  };
}
