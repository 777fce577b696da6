/**
 * Hands a process's output to its listeners, and keeps what arrives before the first listener subscribes, so that
 * nothing a process prints between `spawn` resolving and its caller subscribing is lost.
 */
export class OutputChannel {
  #listeners = new Set<(chunk: string) => void>();
  #early: string[] | null = [];

  push(chunk: string): void {
    if (this.#early) this.#early.push(chunk);
    for (const listener of [...this.#listeners]) listener(chunk);
  }

  subscribe(listener: (chunk: string) => void): () => void {
    this.#listeners.add(listener);
    const early = this.#early;
    this.#early = null;
    for (const chunk of early ?? []) listener(chunk);
    return () => {
      this.#listeners.delete(listener);
    };
  }
}
