// @ts-check
/**
 * Runs one vrrp_script every `interval` seconds and decides whether it has failed: `fall` failures in a row make
 * it fail, `rise` successes in a row make it succeed again. As in keepalived, the very first result decides at
 * once (keepalived's INIT state), and the log lines are keepalived's own.
 */
import { log } from './log.js';

/** @typedef {'init' | 'good' | 'bad'} ScriptStatus  'init' until the first run ends; it counts as not failing */

export class ScriptTracker {
  /**
   * @param {import('./config.js').ScriptConfig} script
   * @param {import('./script-commands.js').Check} check
   * @param {() => void} onChange called when the status changes
   */
  constructor(script, check, onChange) {
    this.script = script;
    this.check = check;
    this.onChange = onChange;
    /** @type {ScriptStatus} */
    this.status = 'init';
    this.lastExit = 0;
    this.lastOk = true;
    this.inARow = 0;
    this.running = false;
    /** @type {NodeJS.Timeout | undefined} */
    this.timer = undefined;
  }

  get failed() {
    return this.status === 'bad';
  }

  get weight() {
    return this.script.weight;
  }

  start() {
    this.runOnce();
    this.timer = setInterval(() => this.runOnce(), this.script.interval * 1000);
  }

  stop() {
    clearInterval(this.timer);
  }

  async runOnce() {
    if (this.running) return;
    this.running = true;
    const result = await this.check(this.script.timeout * 1000);
    this.running = false;
    this.record(result);
  }

  /** @param {number | 'timeout'} result the command's exit status */
  record(result) {
    const { name, fall, rise } = this.script;
    const exit = result === 'timeout' ? -1 : result;
    if (result === 'timeout') log(`VRRP_Script(${name}) timed out`);
    else if (exit !== this.lastExit) log(`Script \`${name}\` now returning ${exit}`);
    const ok = exit === 0;
    this.inARow = ok === this.lastOk ? this.inARow + 1 : 1;
    this.lastOk = ok;
    this.lastExit = exit;
    const turned = this.status === 'init'
      || (this.status === 'good' && !ok && this.inARow >= fall)
      || (this.status === 'bad' && ok && this.inARow >= rise);
    if (!turned) return;
    this.status = ok ? 'good' : 'bad';
    log(ok ? `VRRP_Script(${name}) succeeded` : `VRRP_Script(${name}) failed (${result === 'timeout' ? 'timed out' : `exited with status ${exit}`})`);
    this.onChange();
  }
}
