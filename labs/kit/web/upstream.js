// @ts-check
/**
 * An `upstream` group and how nginx picks a server from it: smooth weighted round robin, and passive failure
 * accounting. This follows nginx's ngx_http_upstream_round_robin.c step by step, with milliseconds where nginx
 * counts whole seconds.
 *
 * Smooth weighted round robin: every pick adds each server's weight to its running score, takes the server with
 * the highest score and subtracts the total of the weights from it. Weights 3 and 1 give a a b a, a a b a, ...
 * Failure accounting: a failed attempt counts against its server; `max_fails` failures and the server is left
 * out for `fail_timeout`, after which one request tries it again. No health check probes it meanwhile: nginx
 * learns only from real requests (HAProxy's active checks, in the balancer chapter, are the other way).
 */

/**
 * @typedef {object} Peer
 * @property {string} name          the address as the configuration wrote it (`10.0.0.31:3000`)
 * @property {import('../lib/network.js').Endpoint} endpoint  where to connect
 * @property {number} weight
 * @property {number} maxFails      0 switches the accounting off
 * @property {number} failTimeoutMs
 * @property {boolean} backup       used only when no other server is available
 * @property {number} currentWeight
 * @property {number} effectiveWeight  lowered by failures, recovers by one per pick
 * @property {number} fails
 * @property {number} accessed      when it last failed
 * @property {number} checked       when it last failed, or was tried again after fail_timeout
 */

export class Upstream {
  /**
   * @param {string} name  the upstream's name, or the address of a `proxy_pass` without an upstream block
   * @param {Array<Pick<Peer, 'name' | 'endpoint' | 'weight' | 'maxFails' | 'failTimeoutMs' | 'backup'>>} servers
   */
  constructor(name, servers) {
    this.name = name;
    /** @type {Peer[]} */
    const peers = servers.map((s) => ({ ...s, currentWeight: 0, effectiveWeight: s.weight, fails: 0, accessed: 0, checked: 0 }));
    this.primary = peers.filter((p) => !p.backup);
    this.backup = peers.filter((p) => p.backup);
    // nginx: "If there is only a single server in a group, max_fails, fail_timeout and slow_start parameters are
    // ignored, and such a server will never be considered unavailable."
    this.single = peers.length === 1;
    // How many servers one request may try: each of them once, backups included (nginx's peer.tries).
    this.tries = peers.length;
  }

  /**
   * The server for the next attempt of a request, or undefined when every server is tried or unavailable
   * (nginx then logs "no live upstreams" and answers 502).
   * @param {Set<Peer>} tried  the servers this request already failed on
   * @param {number} [now]
   */
  pick(tried, now = Date.now()) {
    if (this.single) return tried.has(this.primary[0]) ? undefined : this.primary[0];
    return pickFrom(this.primary, tried, now) ?? pickFrom(this.backup, tried, now);
  }

  /**
   * @param {Peer} peer
   * @param {number} [now]
   * @returns {boolean} true when the server is unavailable now
   */
  markFailed(peer, now = Date.now()) {
    if (this.single) return false;
    peer.fails++;
    peer.accessed = now;
    peer.checked = now;
    if (peer.maxFails === 0) return false;
    peer.effectiveWeight = Math.max(0, peer.effectiveWeight - Math.floor(peer.weight / peer.maxFails));
    return peer.fails >= peer.maxFails;
  }

  /**
   * A server answered: if it was tried again after its fail_timeout, it counts as alive from now on.
   * @param {Peer} peer
   */
  markSucceeded(peer) {
    if (peer.accessed < peer.checked) peer.fails = 0;
  }
}

/**
 * @param {Peer[]} peers
 * @param {Set<Peer>} tried
 * @param {number} now
 */
function pickFrom(peers, tried, now) {
  /** @type {Peer | undefined} */
  let best;
  let total = 0;
  for (const peer of peers) {
    if (tried.has(peer) || isResting(peer, now)) continue;
    peer.currentWeight += peer.effectiveWeight;
    total += peer.effectiveWeight;
    if (peer.effectiveWeight < peer.weight) peer.effectiveWeight++;
    if (!best || peer.currentWeight > best.currentWeight) best = peer;
  }
  if (!best) return undefined;
  best.currentWeight -= total;
  if (now - best.checked > best.failTimeoutMs) best.checked = now;
  return best;
}

/**
 * @param {Peer} peer
 * @param {number} now
 */
function isResting(peer, now) {
  return peer.maxFails > 0 && peer.fails >= peer.maxFails && now - peer.checked <= peer.failTimeoutMs;
}
