/**
 * The terminal feed: one line per stored event. Everything shown comes from the network, so control
 * characters are made visible rather than passed to the terminal (no escape-sequence injection).
 */
import pc from 'picocolors';
import type { Frame, Level } from './event.js';
import type { AcceptedEvent } from './handler.js';

const levelColours: Record<Level, (text: string) => string> = {
  fatal: (text) => pc.bold(pc.magenta(text)),
  error: pc.red,
  warning: pc.yellow,
  info: pc.cyan,
};

const maxMessageLength = 200;

/** `14:22:01 ERROR   ValueError: bad input  app/main.py:42  ×3` */
export function formatFeedLine({ event, result }: AcceptedEvent): string {
  const colour = levelColours[event.level] ?? ((text: string) => text);
  const frame = locationFrame(event.stack);
  return [
    pc.dim(clockTime(event.occurred_at)),
    colour(event.level.toUpperCase().padEnd(7)),
    `${pc.bold(printable(event.type))}: ${printable(firstLine(event.message))}`,
    frame ? pc.dim(`${printable(frame.file)}:${frame.line}`) : undefined,
    pc.bold(`×${result.groupCount}`),
  ]
    .filter((part) => part !== undefined)
    .join('  ');
}

/** With --json: the stored event and what the ingest made of it, on one line. */
export function formatJsonLine({ event, result }: AcceptedEvent): string {
  return JSON.stringify({
    id: result.id,
    fingerprint: result.fingerprint,
    new_group: result.newGroup,
    group_count: result.groupCount,
    event,
  });
}

/** The innermost in-app frame (the line a developer can fix), else the innermost frame. */
function locationFrame(stack: Frame[]): Frame | undefined {
  return stack.find((frame) => frame.in_app) ?? stack[0];
}

/** The event's own time, on the local clock (as sent, in UTC, for a leap second Date rejects). */
function clockTime(occurredAt: string): string {
  const date = new Date(occurredAt);
  if (Number.isNaN(date.getTime())) return occurredAt.slice(11, 19);
  return [date.getHours(), date.getMinutes(), date.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

function firstLine(message: string): string {
  const line = message.split(/\r?\n/, 1)[0] ?? '';
  const more = line.length < message.trimEnd().length;
  const cut = line.length > maxMessageLength ? `${line.slice(0, maxMessageLength)}…` : line;
  return more && !cut.endsWith('…') ? `${cut} …` : cut;
}

/** C0, DEL and C1 controls (ESC included) become U+FFFD. */
function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '\uFFFD');
}
