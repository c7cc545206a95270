/**
 * The names of the platforms, and nothing else: `--runtime`'s choices are read on the CLI's start
 * path, which must not load the platforms themselves (see index.ts for those).
 */
export const platformNames = ['node', 'python', 'browser'] as const;

export type PlatformName = (typeof platformNames)[number];
