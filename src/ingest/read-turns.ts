/**
 * Large reads take turns: across every read in progress, one page per turn of the event loop.
 * Each POST needs a few turns (its body, its commit, its sync's completion); if every reader ran a
 * page in each of them, a POST would wait for readers × pages. With turns, it waits for one page.
 */
const waiting: (() => void)[] = [];
let scheduled = false;

/** Resolves when this read may run its next page. */
export function readTurn(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    schedule();
  });
}

function schedule(): void {
  if (scheduled || waiting.length === 0) return;
  scheduled = true;
  // An immediate queued while immediates run waits for the next turn: one page per turn.
  setImmediate(() => {
    scheduled = false;
    waiting.shift()!();
    schedule();
  });
}
