// @ts-check
/**
 * A service's recent output, kept in memory so that `lab logs` answers at once. The ring holds the last LIMIT lines
 * and forgets older ones, so a chatty server cannot fill the memory; the full output is in `.lab/logs/` as well.
 */

/** @typedef {{ time: number, service: string, text: string }} LogLine */

const LINE_LIMIT = 2000;

export class LogRing {
  /** @param {number} limit how many lines to keep */
  constructor(limit = 1000) {
    this.limit = limit;
    /** @type {LogLine[]} */
    this.lines = [];
    /** @type {Set<(line: LogLine) => void>} */
    this.followers = new Set();
  }

  /** @param {LogLine} line */
  push(line) {
    this.lines.push(line);
    if (this.lines.length > this.limit) this.lines.splice(0, this.lines.length - this.limit);
    for (const follower of this.followers) follower(line);
  }

  /** @param {number} count */
  tail(count) {
    return count > 0 ? this.lines.slice(-count) : [];
  }

  /**
   * Calls `listener` with every new line until the returned function is called.
   * @param {(line: LogLine) => void} listener
   */
  follow(listener) {
    this.followers.add(listener);
    return () => { this.followers.delete(listener); };
  }
}

/**
 * Cuts a stream's chunks into lines; a line still being written waits for its end. Over-long lines are cut.
 * @param {(text: string) => void} onLine
 */
export function lineSplitter(onLine) {
  let partial = '';
  return {
    /** @param {Buffer | string} chunk */
    write(chunk) {
      const parts = (partial + chunk.toString()).split('\n');
      partial = parts.pop() ?? '';
      for (const part of parts) onLine(part.replace(/\r$/, '').slice(0, LINE_LIMIT));
      if (partial.length > LINE_LIMIT) {
        onLine(partial.slice(0, LINE_LIMIT));
        partial = '';
      }
    },
    end() {
      if (partial) onLine(partial);
      partial = '';
    },
  };
}
