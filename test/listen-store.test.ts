// The event store on real files: what survives a reopen, and how damaged files are read.
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IngestEvent } from '../src/listen/event.js';
import { EventStore } from '../src/listen/store.js';
import { makeEvent } from './helpers/ingest.js';

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ez-pixel-store-'));
  path = join(dir, 'nested', 'events.jsonl');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const event = (overrides: Record<string, unknown> = {}) => makeEvent(overrides) as IngestEvent;

describe('EventStore', () => {
  it('creates the file and its directory, and rebuilds ids and groups on reopen', async () => {
    const { store } = await EventStore.open(path);
    const a1 = event({ fingerprint: 'aaaaaaaaaaaaaaaa' });
    const a2 = event({ fingerprint: 'aaaaaaaaaaaaaaaa' });
    const b1 = event({ fingerprint: 'bbbbbbbbbbbbbbbb' });
    for (const e of [a1, a2, b1]) await store.append(e);
    await store.close();

    const { store: reopened, warnings } = await EventStore.open(path);
    expect(warnings).toEqual([]);
    expect(reopened.eventCount).toBe(3);
    expect(reopened.groupTotal).toBe(2);
    expect(await reopened.append(a1)).toMatchObject({ duplicate: true, newGroup: true, groupCount: 2 });
    const a3 = event({ fingerprint: 'aaaaaaaaaaaaaaaa' });
    expect(await reopened.append(a3)).toMatchObject({ duplicate: false, newGroup: false, groupCount: 3 });
    expect(reopened.list({ limit: 10 }).map((e) => e.event_id)).toEqual([a3, b1, a2, a1].map((e) => e.event_id));
    expect(reopened.list({ fingerprint: 'bbbbbbbbbbbbbbbb', limit: 10 })).toEqual([b1]);
    await reopened.close();
  });

  it('cuts off a torn last line with a warning, and appends after it on a line of its own', async () => {
    const { store } = await EventStore.open(path);
    const kept = event();
    await store.append(kept);
    await store.close();
    const torn = JSON.stringify(event()).slice(0, 40);
    appendFileSync(path, torn);

    const { store: reopened, warnings } = await EventStore.open(path);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/events\.jsonl:2: skipped a torn last line \(40 bytes\)/);
    const next = event();
    await reopened.append(next);
    await reopened.close();

    const lines = readFileSync(path, 'utf8').split('\n');
    expect(lines.map((line) => (line ? (JSON.parse(line) as IngestEvent).event_id : ''))).toEqual([
      kept.event_id,
      next.event_id,
      '',
    ]);
    const { warnings: clean } = await EventStore.open(path).then(async (opened) => {
      await opened.store.close();
      return opened;
    });
    expect(clean).toEqual([]);
  });

  it('skips corrupt and foreign lines with a warning naming each, and keeps the rest', async () => {
    const good = [event(), event(), event()];
    path = join(dir, 'events.jsonl');
    writeFileSync(
      path,
      [JSON.stringify(good[0]), '{"event_id": broken', JSON.stringify(good[1]), '[1,2]', '', JSON.stringify(good[2]), ''].join('\n'),
    );
    const { store, warnings } = await EventStore.open(path);
    expect(warnings).toEqual([`${path}:2: not a stored event, skipped`, `${path}:4: not a stored event, skipped`]);
    expect(store.eventCount).toBe(3);
    await store.close();
  });

  it('keeps the first copy of an event_id that appears twice in the file', async () => {
    const first = event({ message: 'first' });
    path = join(dir, 'events.jsonl');
    writeFileSync(path, `${JSON.stringify(first)}\n${JSON.stringify({ ...first, message: 'second' })}\n`);
    const { store } = await EventStore.open(path);
    expect(store.eventCount).toBe(1);
    expect(store.list({ limit: 5 })[0]!.message).toBe('first');
    await store.close();
  });

  it('writes concurrent appends once each, all durable when they resolve', async () => {
    const { store } = await EventStore.open(path);
    const events = Array.from({ length: 200 }, () => event());
    const results = await Promise.all(events.map((e) => store.append(e)));
    expect(results.every((r) => !r.duplicate)).toBe(true);
    expect(readFileSync(path, 'utf8').split('\n').filter(Boolean)).toHaveLength(200);
    expect(results.map((r) => r.groupCount).sort((x, y) => x - y)).toEqual(events.map((_, i) => i + 1));
    await store.close();
  });

  it('refuses appends after close, and close waits for pending writes', async () => {
    const { store } = await EventStore.open(path);
    const pending = store.append(event());
    await store.close();
    await expect(pending).resolves.toMatchObject({ duplicate: false });
    await expect(store.append(event())).rejects.toThrow(/closed/);
    expect(readFileSync(path, 'utf8').split('\n').filter(Boolean)).toHaveLength(1);
  });
});
