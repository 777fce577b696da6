// @ts-check
/**
 * The log: every change, appended to one file, on disk before the client hears "OK".
 *
 * A record is its length, a checksum, then the change as JSON:
 *
 *   | length: 4 bytes | CRC-32 of the JSON: 4 bytes | JSON: length bytes |
 *
 * A crash (or a power cut) can leave the last record half written. Reading the log at start finds it, because the
 * length runs past the end of the file or the checksum does not match, and cuts the file back to the last whole
 * record. Only that record can be torn: it was never acknowledged, since its fsync had not returned.
 *
 * Writes that arrive together share one fsync ("group commit", as InnoDB does): while one fsync runs, the next
 * records wait, and then go to disk together. An fsync takes milliseconds; sharing it is what lets a database
 * acknowledge many writes a second and still lose none of them.
 */
import { open } from 'node:fs/promises';

const HEADER_BYTES = 8;

/**
 * @param {unknown} change
 * @returns {Buffer}
 */
export function encodeRecord(change) {
  const json = Buffer.from(JSON.stringify(change), 'utf8');
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt32BE(json.length, 0);
  header.writeUInt32BE(crc32(json), 4);
  return Buffer.concat([header, json]);
}

/**
 * Reads every whole record. `goodBytes` is where the last whole record ends; `torn` says what follows it, if anything.
 * @param {Buffer} bytes
 * @returns {{ changes: unknown[], goodBytes: number, torn: string | undefined }}
 */
export function decodeRecords(bytes) {
  const changes = [];
  let at = 0;
  while (at < bytes.length) {
    if (bytes.length - at < HEADER_BYTES) return { changes, goodBytes: at, torn: `${bytes.length - at} bytes, shorter than a record header` };
    const length = bytes.readUInt32BE(at);
    const json = bytes.subarray(at + HEADER_BYTES, at + HEADER_BYTES + length);
    if (json.length < length) return { changes, goodBytes: at, torn: `a record of ${length} bytes of which only ${json.length} were written` };
    if (crc32(json) !== bytes.readUInt32BE(at + 4)) return { changes, goodBytes: at, torn: `a record of ${length} bytes whose checksum does not match` };
    changes.push(JSON.parse(json.toString('utf8')));
    at += HEADER_BYTES + length;
  }
  return { changes, goodBytes: at, torn: undefined };
}

export class LogWriter {
  /** @param {string} file */
  static async open(file) {
    return new LogWriter(await open(file, 'a'));
  }

  /** @param {import('node:fs/promises').FileHandle} handle */
  constructor(handle) {
    this.handle = handle;
    /** @type {{ bytes: Buffer, done: () => void, failed: (error: Error) => void }[]} */
    this.waiting = [];
    this.writing = false;
    /** @type {Promise<void>} settles when the writes under way are done */
    this.idle = Promise.resolve();
    /** @type {Error | undefined} once a write fails, the end of the file is unknown: refuse every later write */
    this.broken = undefined;
  }

  /**
   * Resolves once the change is on disk.
   * @param {unknown} change
   * @returns {Promise<void>}
   */
  append(change) {
    return new Promise((done, failed) => {
      if (this.broken) return failed(this.broken);
      this.waiting.push({ bytes: encodeRecord(change), done, failed });
      if (!this.writing) this.idle = this.writeWaiting();
    });
  }

  /** Writes everything that waits, with one fsync, and again while more arrived meanwhile. */
  async writeWaiting() {
    this.writing = true;
    while (this.waiting.length > 0) {
      const group = this.waiting.splice(0);
      try {
        if (this.broken) throw this.broken;
        await this.handle.appendFile(Buffer.concat(group.map((record) => record.bytes)));
        // fdatasync: the bytes and the file's new length reach the disk. A real server also syncs the folder once
        // after creating a file, so that its name survives a power cut; the miniature does not (Windows cannot).
        await this.handle.datasync();
        for (const record of group) record.done();
      } catch (error) {
        this.broken ??= /** @type {Error} */ (error);
        for (const record of group) record.failed(this.broken);
      }
    }
    this.writing = false;
  }

  /** Waits for the writes under way, then closes the file. */
  async close() {
    await this.idle;
    await this.handle.close();
  }
}

/** CRC-32 (the one zip and PNG use), a byte at a time. Node 20.15 has zlib.crc32, but the kit runs on Node 18 too. */
const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  for (let k = 0; k < 8; k++) n = n & 1 ? 0xedb88320 ^ (n >>> 1) : n >>> 1;
  return n;
});

/** @param {Uint8Array} bytes */
export function crc32(bytes) {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
