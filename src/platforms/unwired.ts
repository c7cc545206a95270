/**
 * Platforms detected but not wired yet, reached by shared code through this module: today the
 * browser, whose apps are left out of install and whose builds doctor checks for source maps.
 * Apart from index.ts so that what installs and wires (inject, templates) never loads the
 * browser's doctor code and the ingest's source-map readers it uses.
 */
export { browserAppChecks } from './browser/index.js';
