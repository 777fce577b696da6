/**
 * The lab's terminal, as the runtime sees it: somewhere to write the shell's output, and keystrokes to send back.
 * Output that arrives before a terminal is attached (the panel renders the terminal lazily) is kept and written
 * when one is; a detached terminal stops receiving, and a new one gets what it missed.
 */
import { Store } from '../store';
import type { ITerminal } from '../types';

/** Beyond this, the oldest buffered output is dropped: a terminal keeps a limited scrollback anyway. */
const MAX_BUFFERED_CHARS = 256 * 1024;
const ATTACHED = { attached: true } as const;
const DETACHED = { attached: false } as const;

export class TerminalStore {
  readonly state = new Store<{ readonly attached: boolean }>(DETACHED);
  #terminal: ITerminal | null = null;
  #stopListening: (() => void) | null = null;
  #buffer: string[] = [];
  #buffered = 0;
  #input: ((data: string) => void) | null = null;

  write(chunk: string): void {
    if (this.#terminal) {
      this.#terminal.write(chunk);
      return;
    }
    this.#buffer.push(chunk);
    this.#buffered += chunk.length;
    while (this.#buffered > MAX_BUFFERED_CHARS && this.#buffer.length > 1) this.#buffered -= this.#buffer.shift()!.length;
  }

  /** Shows the terminal the buffered output and sends its keystrokes to the shell. Returns `detach`. */
  attach(terminal: ITerminal): () => void {
    this.detach();
    this.#terminal = terminal;
    for (const chunk of this.#buffer) terminal.write(chunk);
    this.#buffer = [];
    this.#buffered = 0;
    const subscription = terminal.onData((data) => this.#input?.(data));
    this.#stopListening = typeof subscription === 'function' ? subscription : () => subscription.dispose();
    this.state.set(ATTACHED);
    return () => {
      if (this.#terminal === terminal) this.detach();
    };
  }

  detach(): void {
    this.#stopListening?.();
    this.#stopListening = null;
    this.#terminal = null;
    this.state.set(DETACHED);
  }

  /** Where keystrokes go: the shell's input, or nowhere while no shell runs. */
  connect(input: ((data: string) => void) | null): void {
    this.#input = input;
  }

  /** The attached terminal's size, for a new shell. */
  size(): { cols: number; rows: number } | null {
    return this.#terminal ? { cols: this.#terminal.cols, rows: this.#terminal.rows } : null;
  }
}
