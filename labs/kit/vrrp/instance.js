// @ts-check
/**
 * One vrrp_instance: the state machine of VRRP (RFC 5798 section 6.4), with keepalived's log lines.
 *
 *   BACKUP  listens. If no advertisement arrives for Master_Down_Interval, it becomes MASTER.
 *   MASTER  owns the virtual IP and advertises every advert_int. It steps down when it hears a better router.
 *   FAULT   a tracked script with weight 0 has failed: the router neither advertises nor owns the address.
 *
 * Like keepalived 2.2, every instance starts as BACKUP, whatever its `state` line says (measured: with state
 * MASTER, keepalived logs "Entering BACKUP STATE (init)" and becomes master after Master_Down_Interval).
 */
import { createAdvertSender } from './adverts.js';
import { log } from './log.js';
import { VirtualIp } from './virtual-ip.js';

/** @typedef {'INIT' | 'BACKUP' | 'MASTER' | 'FAULT'} State */

export class VrrpInstance {
  /**
   * @param {object} options
   * @param {import('./instance-config.js').InstanceConfig} options.config
   * @param {2 | 3} options.version
   * @param {import('./track-script.js').ScriptTracker[]} options.tracked  the scripts in its track_script block
   * @param {import('./addresses.js').InstanceAddresses} options.addresses  its peers and its virtual IP's ports
   * @param {(instance: VrrpInstance) => void} options.onChange  state, priority or owned addresses changed
   * @param {(peer: import('../lib/network.js').Endpoint) => string | undefined} [options.cutOff]  a lab partition
   */
  constructor({ config, version, tracked, addresses, onChange, cutOff }) {
    this.config = config;
    this.name = `(${config.name})`;
    this.version = version;
    this.tracked = tracked;
    this.advertise = createAdvertSender(addresses.peers, cutOff);
    this.virtualIp = new VirtualIp(config.name, addresses.routes, () => onChange(this));
    this.onChange = onChange;
    /** @type {State} */
    this.state = 'INIT';
    this.priority = config.priority;
    this.warnedLowerPriority = false;
    /** @type {NodeJS.Timeout | undefined} */
    this.masterDownTimer = undefined;
    /** @type {NodeJS.Timeout | undefined} */
    this.advertTimer = undefined;
  }

  start() {
    this.enterBackup('BACKUP STATE (init)');
  }

  /**
   * What the lab supervisor is told: `{ instance, state, priority, addresses, claims }`. `addresses` are the
   * virtual IPs whose ports this process holds; `claims` those it believes it should hold, every one while MASTER.
   * They differ while a new master waits for a port (split brain, or the old master letting go).
   */
  summary() {
    const all = this.config.virtualAddresses.map((v) => v.address);
    const addresses = this.virtualIp.held ? all : [];
    return { instance: this.config.name, state: this.state, priority: this.priority, addresses,
      claims: this.state === 'MASTER' ? all : [] };
  }

  /**
   * Skew_Time: a lower priority waits a little longer, so that the best backup takes over first. RFC 5798
   * (version 3) scales it by the advertisement interval; RFC 3768 (version 2) counts it in seconds.
   */
  skewTime() {
    return ((256 - this.priority) * (this.version === 3 ? this.config.advertInt : 1)) / 256;
  }

  masterDownInterval() {
    return 3 * this.config.advertInt + this.skewTime();
  }

  /**
   * @param {import('./adverts.js').Advert} advert
   * @returns {import('./adverts.js').Reply | undefined} "I forward your address to you", after a handover
   */
  receive(advert) {
    const expected = this.config.authPass;
    if ((advert.authPass === undefined) !== (expected === undefined)) {
      log(`${this.name} received a ${advert.authPass === undefined ? 0 : 1} auth, expecting ${expected === undefined ? 0 : 1}!`);
      return undefined;
    }
    if (advert.authPass !== expected) {
      log(`${this.name} received an invalid passwd!`);
      return undefined;
    }
    if (this.state === 'BACKUP') this.receiveAsBackup(advert);
    else if (this.state === 'MASTER') this.receiveAsMaster(advert);
    const forwarding = this.virtualIp.forwardingTo(advert.from, this.config.virtualAddresses.map((v) => v.address));
    return forwarding.length > 0 ? { from: this.config.unicastSrcIp.address, forwarding } : undefined;
  }

  /** @param {import('./adverts.js').Advert} advert */
  receiveAsBackup(advert) {
    if (advert.priority === 0) {
      log(`${this.name} Backup received priority 0 advertisement`);
      this.waitForMaster(this.skewTime());
    } else if (this.config.nopreempt || advert.priority >= this.priority) {
      this.warnedLowerPriority = false;
      this.waitForMaster(this.masterDownInterval());
    } else if (!this.warnedLowerPriority) {
      // Preemption: ignore the weaker master, so that this router takes over when its timer runs out.
      log(`${this.name} received lower priority (${advert.priority}) advert from ${advert.from} - discarding`);
      this.warnedLowerPriority = true;
    }
  }

  /** @param {import('./adverts.js').Advert} advert */
  receiveAsMaster(advert) {
    const mine = this.config.unicastSrcIp.address;
    if (advert.priority === 0) {
      log(`${this.name} Master received priority 0 message`);
      this.advertiseAsMaster();
    } else if (advert.priority > this.priority) {
      log(`${this.name} Master received advert from ${advert.from} with higher priority ${advert.priority}, ours ${this.priority}`);
      this.enterBackup('BACKUP STATE', advert.from);
    } else if (advert.priority === this.priority && ipAsNumber(advert.from) > ipAsNumber(mine)) {
      log(`${this.name} Master received advert from ${advert.from} with same priority ${advert.priority} but higher IP address than ours`);
      this.enterBackup('BACKUP STATE', advert.from);
    }
  }

  /** A tracked script changed: recompute the priority, and enter or leave FAULT. */
  scriptsChanged() {
    const priority = this.effectivePriority();
    if (priority !== this.priority) {
      log(`${this.name} Changing effective priority from ${this.priority} to ${priority}`);
      this.priority = priority;
      this.onChange(this);
    }
    const faulty = this.tracked.some((script) => script.weight === 0 && script.failed);
    if (faulty && this.state !== 'FAULT') this.enterFault();
    else if (!faulty && this.state === 'FAULT') this.enterBackup('BACKUP STATE');
  }

  /**
   * keepalived's rule: a failing script with a negative weight lowers the priority, a succeeding one with a positive
   * weight raises it; the result stays within 1 to 254, because 255 belongs to the address's real owner.
   */
  effectivePriority() {
    if (this.config.priority === 255) return 255;
    let priority = this.config.priority;
    for (const script of this.tracked) {
      if (script.weight < 0 && script.failed) priority += script.weight;
      if (script.weight > 0 && script.status === 'good') priority += script.weight;
    }
    return Math.min(254, Math.max(1, priority));
  }

  /**
   * @param {string} what e.g. `BACKUP STATE (init)`
   * @param {string} [newMaster] the better master heard, to hand the address over to
   */
  enterBackup(what, newMaster) {
    if (this.state === 'MASTER') this.leaveMaster(newMaster);
    this.state = 'BACKUP';
    log(`${this.name} Entering ${what}`);
    this.warnedLowerPriority = false;
    this.waitForMaster(this.masterDownInterval());
    this.onChange(this);
  }

  enterMaster() {
    this.state = 'MASTER';
    log(`${this.name} Entering MASTER STATE`);
    this.advertiseAsMaster();
    this.advertTimer = setInterval(() => this.advertiseAsMaster(), this.config.advertInt * 1000);
    log(`${this.name} setting VIPs.`);
    this.virtualIp.claim();
    this.onChange(this);
  }

  enterFault() {
    clearTimeout(this.masterDownTimer);
    if (this.state === 'MASTER') {
      this.sendAdvert(0);
      this.leaveMaster();
    }
    this.state = 'FAULT';
    log(`${this.name} Entering FAULT STATE`);
    this.onChange(this);
  }

  /**
   * Advertises, and hears in the answers whether a peer that still holds the address's ports forwards them here.
   * The word lasts three intervals, as long as a backup waits for a silent master.
   */
  advertiseAsMaster() {
    const mine = this.config.virtualAddresses.map((v) => v.address);
    this.sendAdvert(this.priority).then((replies) => {
      if (this.state !== 'MASTER') return;
      const relay = replies.find((reply) => mine.every((address) => reply.forwarding.includes(address)));
      if (relay) this.virtualIp.relayedThrough(relay.from, 3 * this.config.advertInt * 1000);
    });
  }

  /** @param {string} [newMaster] the better master heard: the address is handed over to it rather than let go */
  leaveMaster(newMaster) {
    clearInterval(this.advertTimer);
    log(`${this.name} removing VIPs.`);
    if (newMaster) this.virtualIp.handOver(newMaster);
    else this.virtualIp.release();
  }

  /**
   * Shutting down: a master tells the backups at once with priority 0 (RFC 5798 section 6.4.3), instead of letting
   * them wait for Master_Down_Interval. Resolves once the advertisement has been sent.
   */
  async stop() {
    clearTimeout(this.masterDownTimer);
    if (this.state !== 'MASTER') {
      this.virtualIp.release(); // ports still held for a new master: it takes them at once
      return;
    }
    const sent = this.sendAdvert(0);
    log(`${this.name} sent 0 priority`);
    this.leaveMaster();
    await sent;
  }

  /** @param {number} seconds */
  waitForMaster(seconds) {
    clearTimeout(this.masterDownTimer);
    this.masterDownTimer = setTimeout(() => {
      log(`${this.name} Receive advertisement timeout`);
      this.enterMaster();
    }, seconds * 1000);
  }

  /** @param {number} priority */
  sendAdvert(priority) {
    const { virtualRouterId, advertInt, authPass, virtualAddresses, unicastSrcIp } = this.config;
    return this.advertise({ version: this.version, virtualRouterId, priority, advertInt, authPass,
      addresses: virtualAddresses.map((v) => v.address), from: unicastSrcIp.address });
  }
}

/** @param {string} ip e.g. `10.0.0.12`, compared as the 32-bit number it is */
function ipAsNumber(ip) {
  return ip.split('.').reduce((number, part) => number * 256 + Number(part), 0);
}
