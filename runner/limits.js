// @ts-check
/**
 * How much the page may make the runner hold, on disk and in memory. A lab never comes near these limits; a page
 * that does is broken or hostile, and is refused with a message that says which limit it passed.
 *
 * The largest lab's workspace (labs/lab-files.js, the solution of 06-scaled-up) is 183 files and 1.1 MB, its largest
 * file (the balancer built into one file) 72 KB, its mount message 1.1 MB. Every limit is at least ten times what a lab needs (limits.test.js
 * checks the margin against every lab, so that a lab that grows too close fails a test instead of a learner).
 * A megabyte here is 1024 x 1024 bytes.
 */

const MB = 1024 * 1024;

export const LIMITS = Object.freeze({
  /** One file the page writes or reads. */
  fileBytes: 5 * MB,
  /** All the files the page has written into one lab's workspace, as long as the runner runs. */
  workspaceBytes: 50 * MB,
  workspaceFiles: 5000,
  /** The workspaces (labs) one runner opens; the course has six. */
  labs: 30,
  /** One WebSocket message from the page (the `ws` server's maxPayload): a mount, or one file with its JSON. */
  messageBytes: 16 * MB,
  /** The page's messages one session has received and not yet handled. */
  waitingBytes: 32 * MB,
  /** Sessions (pages with a lab open) at once. With the limits above, all of them together hold at most
   *  8 x (16 MB of a message being received + 32 MB waiting + 1 MB of answers the page has not taken yet). */
  sessions: 8,
});

/** A limit the page's request passed; its message is for a person. */
export class LimitError extends Error {}

/** @param {number} bytes */
export function formatBytes(bytes) {
  if (bytes >= MB) return `${Number((bytes / MB).toFixed(1))} MB`;
  if (bytes >= 1024) return `${Number((bytes / 1024).toFixed(1))} KB`;
  return `${bytes} bytes`;
}

/**
 * Refuses one file larger than the limit.
 * @param {string} shown the path, for the message
 * @param {number} bytes
 * @param {'write' | 'read'} doing
 */
export function checkFileSize(shown, bytes, doing) {
  if (bytes <= LIMITS.fileBytes) return;
  throw new LimitError(`refused to ${doing} ${shown}: it is larger than ${formatBytes(LIMITS.fileBytes)}, the runner's `
    + 'limit for one file (a lab\'s files are a few KB)');
}

/**
 * What the page has written into one lab's workspace: each path once, with its size. A file written again replaces
 * its old size, so mounting the lab at every visit adds nothing. Kept by the server for each lab as long as the
 * runner runs, so that closing the page and connecting again starts from the same count.
 */
export class WorkspaceLedger {
  constructor() {
    /** @type {Map<string, number>} */
    this.sizes = new Map();
    this.bytes = 0;
  }

  /**
   * Refuses, before anything is written, a set of files that would take the workspace past its limits.
   * @param {[string, number][]} files workspace-relative path (as the ledger keys it) and size in bytes
   */
  check(files) {
    let bytes = this.bytes;
    let count = this.sizes.size;
    const seen = new Set();
    for (const [file, size] of files) {
      if (seen.has(file)) continue;
      seen.add(file);
      const before = this.sizes.get(file);
      bytes += size - (before ?? 0);
      if (before === undefined) count++;
    }
    if (count > LIMITS.workspaceFiles) {
      throw new LimitError(`refused: the page would have written ${count} files into the lab's workspace, more than `
        + `the runner's limit of ${LIMITS.workspaceFiles} (a lab has about 160)`);
    }
    if (bytes > LIMITS.workspaceBytes) {
      throw new LimitError(`refused: the page's files in the lab's workspace would pass ${formatBytes(LIMITS.workspaceBytes)}, `
        + 'the runner\'s limit (a lab is under 1 MB)');
    }
  }

  /**
   * @param {string} file
   * @param {number} size
   */
  record(file, size) {
    this.bytes += size - (this.sizes.get(file) ?? 0);
    this.sizes.set(file, size);
  }
}
