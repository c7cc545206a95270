// The SQLite store's second thread (plain JavaScript: a worker runs it as it is, from src/ in the
// tests and from dist/ when installed). It has its own connection to the file and does the work
// that must not hold up the ingest's thread (sqlite-background.ts starts it):
//   - reads of stored events ({ id, sql, params } → { id, seqs, issueIds, receivedAts, lengths,
//     bytes }, the bodies in one transferred buffer, each followed by a comma), which WAL lets
//     run beside the writes;
//   - checkpoints ({ id, checkpoint: true } → { id }), which the main thread asks for when the WAL
//     has grown, and during which it commits nothing (sqlite-store.ts): copying the WAL into the
//     database and the two syncs that takes happen here, while the event loop goes on.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const db = new Database(workerData.path, { fileMustExist: true, timeout: 10_000 });
// The same syncs as the main connection around a checkpoint: the WAL before it is copied, the
// database after.
db.pragma('synchronous = NORMAL');
db.pragma('wal_autocheckpoint = 0');
const statements = new Map();

parentPort.on('message', (message) => {
  if (message.close) {
    db.close();
    return parentPort.close();
  }
  try {
    if (message.checkpoint) {
      // PASSIVE never waits for a lock; with no commit meanwhile it copies the whole WAL, and the
      // next commit starts the WAL over.
      db.pragma('wal_checkpoint(PASSIVE)');
      return parentPort.postMessage({ id: message.id });
    }
    let statement = statements.get(message.sql);
    if (!statement) statements.set(message.sql, (statement = db.prepare(message.sql)));
    const rows = statement.all(...message.params);
    const lengths = rows.map((row) => row.body.length);
    // The bodies with a comma between each two: a page of a JSON array, which the ingest's thread
    // then writes as it is, without copying it again (answer.ts, joinedWithCommas).
    const bytes = new Uint8Array(lengths.reduce((sum, length) => sum + length + 1, 0));
    let offset = 0;
    for (const row of rows) {
      bytes.set(row.body, offset);
      offset += row.body.length;
      bytes[offset++] = 0x2c;
    }
    parentPort.postMessage(
      {
        id: message.id,
        seqs: rows.map((row) => row.seq),
        issueIds: rows.map((row) => row.issue_id),
        receivedAts: rows.map((row) => row.received_at),
        lengths,
        bytes,
      },
      [bytes.buffer],
    );
  } catch (error) {
    parentPort.postMessage({ id: message.id, error: error.message, code: error.code });
  }
});
