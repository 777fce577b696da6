/**
 * Splits a stream of text chunks into lines, whatever the chunk boundaries: a line may arrive in pieces, and one
 * chunk may hold many lines. Used to read the lab's states, one JSON document a line, from the supervisor's output.
 */
export class LineSplitter {
  #rest = '';

  /** The complete, non-empty lines that `chunk` finishes; the unfinished end waits for the next chunk. */
  push(chunk: string): string[] {
    const lines = (this.#rest + chunk).split('\n');
    this.#rest = lines.pop() ?? '';
    return lines.map((line) => line.replace(/\r+$/, '').trim()).filter((line) => line !== '');
  }
}

/** Each line that is a JSON document, parsed; other lines (a warning, a stray prompt) are skipped. */
export function parseJsonLines(lines: string[]): unknown[] {
  return lines.flatMap((line) => {
    try {
      return [JSON.parse(line) as unknown];
    } catch {
      return [];
    }
  });
}
