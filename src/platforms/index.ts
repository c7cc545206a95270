/**
 * The platforms ez-pixel wires, in the order detection offers them. Adding a platform: a folder
 * under src/platforms/ exporting one Platform, listed here and in names.ts
 * (docs/adding-a-platform.md). Shared code reaches a platform only through this module.
 */
import type { PackageManagerRow } from '../package-managers/table.js';
import type { Framework, PackageManager, Project } from '../project.js';
import { browser } from './browser/index.js';
import type { PlatformName } from './names.js';
import { node } from './node/index.js';
import type { Platform } from './platform.js';
import { python } from './python/index.js';

export type { NextVersion, NextWiringKind } from './node/detect/next-version.js';
export type { RequestErrorHook } from './node/templates/request-errors.js';
export type { SvelteKitHooksPieces } from './node/templates/sveltekit.js';

export const platforms: Platform[] = [node, python, browser];

export function platformNamed(name: PlatformName): Platform {
  const platform = platforms.find((candidate) => candidate.name === name);
  if (!platform) throw new Error(`no platform is named ${name}`);
  return platform;
}

export function platformOf(project: Pick<Project, 'runtime'>): Platform {
  return platformNamed(project.runtime);
}

/** The platform whose detectors find `framework`. */
export function platformOfFramework(framework: Framework): PlatformName {
  const platform = platforms.find((candidate) => candidate.frameworks.includes(framework));
  if (!platform) throw new Error(`no platform detects the framework ${framework}`);
  return platform.name;
}

/** The platforms `--pm` can install into (the JS managers serve Node and the browser alike). */
export function platformsOfPackageManager(pm: PackageManager): PlatformName[] {
  return platforms.filter((platform) => platform.packageManagers[pm] !== undefined).map((platform) => platform.name);
}

/** Every platform's package-manager rows, by name. */
export const PACKAGE_MANAGERS = Object.assign({}, ...platforms.map((platform) => platform.packageManagers)) as Record<PackageManager, PackageManagerRow>;
