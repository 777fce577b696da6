// @ts-check
/**
 * The supervisor's side of `lab partition A B` and `lab heal [A B]`: which pairs of servers are cut off from each
 * other. The cuts go into the state JSON (`partitions`) and into `.lab/partitions.json`, where the tiers read them
 * before they send (lib/partitions.js), so that a cut reaches every process at once and outlives its restarts.
 * They end with the servers: `lab down` heals everything, and so does a new supervisor.
 */
import { rmSync } from 'node:fs';
import { writeCuts } from '../lib/partitions.js';
import { UsageError } from './errors.js';

/** @typedef {import('../lib/partitions.js').Cut} Cut */

export class Partitions {
  /**
   * @param {object} options
   * @param {string[]} options.servers  the lab's server names, to refuse others by name
   * @param {string} [options.file]     where the tiers read the cuts; without it they are kept in memory only
   * @param {() => void} options.onChange
   */
  constructor({ servers, file, onChange }) {
    this.servers = servers;
    this.file = file;
    this.onChange = onChange;
    /** @type {Cut[]} sorted pairs, in the order they were made */
    this.cuts = [];
  }

  /** The cuts as the state JSON shows them: `[["lb-01", "lb-02"]]`, [] when none. */
  list() {
    return this.cuts.map(([a, b]) => [a, b]);
  }

  /**
   * Cuts the network between two servers, in both directions.
   * @param {unknown} a
   * @param {unknown} b
   * @returns {{ cut: Cut, already: boolean }}
   */
  cut(a, b) {
    const pair = this.pair(a, b, 'partition');
    const already = this.find(pair) >= 0;
    if (!already) {
      this.cuts.push(pair);
      this.save();
    }
    return { cut: pair, already };
  }

  /**
   * Heals one cut, or every cut when neither server is named.
   * @param {unknown} a
   * @param {unknown} b
   * @returns {Cut[]} the cuts that were healed
   */
  heal(a, b) {
    if (a === undefined && b === undefined) {
      const healed = this.cuts;
      this.cuts = [];
      if (healed.length > 0) this.save();
      return healed;
    }
    const pair = this.pair(a, b, 'heal');
    const at = this.find(pair);
    if (at < 0) return [];
    this.cuts.splice(at, 1);
    this.save();
    return [pair];
  }

  /**
   * Heals everything and removes the file: when the servers stop, and when a supervisor starts (one that was
   * killed outright may have left its cuts behind).
   */
  clear() {
    this.cuts = [];
    if (this.file) rmSync(this.file, { force: true });
    this.onChange();
  }

  /**
   * @param {unknown} a
   * @param {unknown} b
   * @param {'partition' | 'heal'} what
   * @returns {Cut}
   */
  pair(a, b, what) {
    const usage = what === 'partition' ? 'name two servers, e.g. {"a": "lb-01", "b": "lb-02"}'
      : 'name two servers, or none to heal every cut';
    if (typeof a !== 'string' || typeof b !== 'string' || a === '' || b === '') throw new UsageError(`${what}: ${usage}`);
    for (const name of [a, b]) {
      if (!this.servers.includes(name)) {
        throw new UsageError(`${what}: there is no server '${name}' in this lab: the servers are ${this.servers.join(', ')}`);
      }
    }
    if (a === b) throw new UsageError(`${what}: ${a} is named twice: a partition is between two different servers`);
    return a < b ? [a, b] : [b, a];
  }

  /** @param {Cut} pair */
  find([a, b]) {
    return this.cuts.findIndex((cut) => cut[0] === a && cut[1] === b);
  }

  save() {
    if (this.file) writeCuts(this.file, this.cuts);
    this.onChange();
  }
}
