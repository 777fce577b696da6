// @ts-check
/**
 * The log as `innodb_flush_log_at_trx_commit = 0` or `2` makes InnoDB write it: the client hears "OK" before the
 * change is on disk, and the disk catches up at the next flush, every `innodb_flush_log_at_timeout` seconds (1 by
 * default). Faster, and the price is acknowledged writes:
 *
 *   2: each change is written to the operating system at its commit, and fsynced at the next flush. A crash of the
 *      server (`lab kill`) loses nothing, since the operating system still has the bytes; a power cut or a crash of
 *      the machine loses what was acknowledged since the last flush, which the lab cannot show.
 *   0: each change waits in the server's own memory, and is written and fsynced at the next flush. A crash of the
 *      server loses what was acknowledged since the last flush: `lab kill` shows it.
 *
 * `1` (log.js, LogWriter) flushes at every commit and loses nothing. A clean stop (`lab stop`) flushes first, in
 * every mode, as MariaDB does at shutdown.
 */
import { open } from 'node:fs/promises';
import { encodeRecord } from './log.js';

export class LazyLogWriter {
  /**
   * @param {string} file
   * @param {0 | 2} mode the value of innodb_flush_log_at_trx_commit
   * @param {number} intervalMs innodb_flush_log_at_timeout, in milliseconds
   */
  static async open(file, mode, intervalMs) {
    return new LazyLogWriter(await open(file, 'a'), mode, intervalMs);
  }

  /**
   * @param {import('node:fs/promises').FileHandle} handle
   * @param {0 | 2} mode
   * @param {number} intervalMs
   */
  constructor(handle, mode, intervalMs) {
    this.handle = handle;
    this.mode = mode;
    /** @type {Buffer[]} mode 0: records acknowledged but not yet written */
    this.unwritten = [];
    /** whether something was written since the last fsync */
    this.dirty = false;
    /** @type {Promise<void>} the file's operations, one after the other, so that records keep their order */
    this.queue = Promise.resolve();
    /** @type {Error | undefined} once a write fails, the end of the file is unknown: refuse every later write */
    this.broken = undefined;
    this.timer = setInterval(() => this.flush().catch(() => {}), intervalMs);
    this.timer.unref();
  }

  /**
   * Resolves before the change is on disk: at once (mode 0), or once the operating system has it (mode 2).
   * @param {unknown} change
   * @returns {Promise<void>}
   */
  async append(change) {
    if (this.broken) throw this.broken;
    const bytes = encodeRecord(change);
    if (this.mode === 0) {
      this.unwritten.push(bytes);
      return;
    }
    await this.enqueue(() => this.write([bytes]));
  }

  /** Writes what waits and fsyncs: what the timer does at every interval. */
  flush() {
    return this.enqueue(async () => {
      await this.write(this.unwritten.splice(0));
      if (!this.dirty) return;
      this.dirty = false;
      await this.handle.datasync();
    });
  }

  /** @param {Buffer[]} records */
  async write(records) {
    if (records.length === 0) return;
    this.dirty = true;
    await this.handle.appendFile(Buffer.concat(records));
  }

  /**
   * @param {() => Promise<void>} task
   * @returns {Promise<void>}
   */
  enqueue(task) {
    const run = this.queue.then(() => {
      if (this.broken) throw this.broken;
      return task();
    });
    this.queue = run.catch((error) => { this.broken ??= error; });
    return run;
  }

  /** Flushes everything, then closes the file. */
  async close() {
    clearInterval(this.timer);
    try {
      await this.flush();
    } finally {
      await this.handle.close();
    }
  }
}
