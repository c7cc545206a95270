/**
 * How much a SQLite WAL holds, for deciding when to checkpoint. The WAL file's size says nothing:
 * after a complete checkpoint SQLite writes the WAL again from its start instead of cutting it, so
 * a commit never grows the file and its fdatasync writes data alone, not the file's size as well.
 * What counts is mxFrame, the number of valid frames, in the wal-index header: the first bytes
 * of the -shm file, offset 16, in native byte order (https://www.sqlite.org/walformat.html).
 * It is read without SQLite's locks, so it is a hint, which is all a checkpoint schedule needs.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { endianness } from 'node:os';

const mxFrameOffset = 16;

export class WalFill {
  private fd: number | undefined;
  private readonly word = Buffer.alloc(4);

  constructor(
    private readonly shmPath: string,
    private readonly pageSize: number,
  ) {}

  /** The bytes of the frames in the WAL now; 0 while there is no -shm file. */
  bytes(): number {
    try {
      this.fd ??= openSync(this.shmPath, 'r');
      if (readSync(this.fd, this.word, 0, 4, mxFrameOffset) < 4) return 0;
    } catch {
      return 0;
    }
    const frames = endianness() === 'LE' ? this.word.readUInt32LE(0) : this.word.readUInt32BE(0);
    return frames * this.pageSize;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
