// Large reads take turns (src/ingest/read-turns.ts): however many read at once, one page runs per
// turn of the event loop, so the other requests wait for one page, not one per reader.
import { describe, expect, it } from 'vitest';
import { readTurn } from '../src/ingest/read-turns.js';

describe('readTurn', () => {
  it('lets one read run a page per turn of the event loop, in the order they asked, with other work between', async () => {
    const order: string[] = [];
    let turn = 0;
    const otherWork = () => {
      order.push(`turn ${++turn}`);
      if (turn < 8) setImmediate(otherWork);
    };
    setImmediate(otherWork);
    // Four readers of two pages each.
    const reader = async (name: string) => {
      for (let page = 1; page <= 2; page++) {
        await readTurn();
        order.push(`${name}${page}`);
      }
    };
    await Promise.all(['a', 'b', 'c', 'd'].map(reader));
    const pages = order.filter((entry) => !entry.startsWith('turn'));
    expect(pages).toEqual(['a1', 'b1', 'c1', 'd1', 'a2', 'b2', 'c2', 'd2']);
    // Never two pages in one turn.
    const pageAfterPage = order.filter((entry, i) => i > 0 && !entry.startsWith('turn') && !order[i - 1]!.startsWith('turn'));
    expect(pageAfterPage).toEqual([]);
  });
});
