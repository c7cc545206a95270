// The folders install makes for its files, and which of them uninstall may take out again: only
// recorded ones, only when they hold nothing but what uninstall deletes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptiedDirs, missingDirs } from '../src/plan/made-dirs.js';
import { tempProject } from './fixtures/inject/projects.js';

describe('made-dirs', () => {
  it('names the folders a new file needs, outermost first, and none that exist', () => {
    const root = tempProject({ 'server/api/boom.ts': '' });
    expect(missingDirs(root, 'server/plugins/ez-pixel.ts')).toEqual(['server/plugins']);
    expect(missingDirs(root, 'app/plugins/ez-pixel.client.ts')).toEqual(['app', 'app/plugins']);
    expect(missingDirs(root, '.env')).toEqual([]);
  });

  it('removes a recorded folder only when what is deleted empties it, inner folders first', async () => {
    const root = tempProject({ 'app/plugins/ez-pixel.client.ts': '', 'server/plugins/ez-pixel.ts': '', 'server/plugins/theirs.ts': '' });
    mkdirSync(join(root, 'app/plugins/empty'));
    const deleted = ['app/plugins/ez-pixel.client.ts', 'server/plugins/ez-pixel.ts'];
    expect(await emptiedDirs(root, ['app', 'app/plugins', 'app/plugins/empty', 'server/plugins'], deleted)).toEqual(['app/plugins/empty', 'app/plugins', 'app']);
    writeFileSync(join(root, 'app/plugins/theirs.ts'), '');
    expect(await emptiedDirs(root, ['app', 'app/plugins'], deleted)).toEqual([]);
    expect(await emptiedDirs(root, ['gone/already'], deleted)).toEqual([]);
  });
});
