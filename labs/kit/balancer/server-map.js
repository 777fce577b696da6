// @ts-check
/**
 * `balance source` and `balance static-rr`: HAProxy's map-based algorithms (lb_map.c). The servers are laid out in a
 * table with as many slots as the sum of their weights (divided by their greatest common divisor), a heavy server
 * spread over many slots. `static-rr` walks the table slot by slot; `source` hashes the client's IP address
 * into a slot, so that one client always lands on the same server while the set of servers does not change.
 *
 * With three servers of equal weight the table is [s1, s2, s3], and the client 127.0.0.1 (0x7f000001) lands in slot
 * 0x7f000001 % 3 = 2, on s3: the same server real HAProxy picks with its default `hash-type map-based`.
 */

/** @template {{ weight: number }} S */
export class ServerMap {
  /** @param {S[]} servers the usable servers, in the order of the configuration */
  constructor(servers) {
    const divisor = servers.reduce((d, s) => greatestCommonDivisor(d, s.weight), 0) || 1;
    const weights = servers.map((s) => s.weight / divisor);
    const total = weights.reduce((sum, w) => sum + w, 0);
    /** @type {S[]} */
    this.slots = [];
    this.nextSlot = 0;
    // Fill each slot with the server that is furthest behind its share; ties go to the server declared first.
    const scores = servers.map(() => 0);
    for (let slot = 0; slot < total; slot++) {
      let best = -1;
      let bestValue = 0;
      for (let i = 0; i < servers.length; i++) {
        scores[i] += weights[i];
        const value = Math.floor((scores[i] + total) / total);
        if (best < 0 || value > bestValue) [best, bestValue] = [i, value];
      }
      this.slots.push(servers[best]);
      scores[best] -= total;
    }
  }

  /**
   * `balance source`: the slot of the client's address.
   * @param {string} address the client's IP address
   * @returns {S | undefined}
   */
  byAddress(address) {
    return this.slots.length === 0 ? undefined : this.slots[hashAddress(address) % this.slots.length];
  }

  /**
   * `balance static-rr`: the next slot in turn, skipping `avoid` if another server is there.
   * @param {S} [avoid]
   * @returns {S | undefined}
   */
  next(avoid) {
    for (let tries = 0; tries < this.slots.length; tries++) {
      const server = this.slots[this.nextSlot];
      this.nextSlot = (this.nextSlot + 1) % this.slots.length;
      if (server !== avoid) return server;
    }
    return this.slots[0];
  }
}

/**
 * HAProxy's source hash: the address as 32-bit numbers XOR'ed together (one number for IPv4, four for IPv6).
 * @param {string} address
 */
export function hashAddress(address) {
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(v4)) {
    return v4.split('.').reduce((hash, part) => ((hash << 8) | Number(part)) >>> 0, 0);
  }
  const groups = expandIpv6(address);
  let hash = 0;
  for (let i = 0; i < 8; i += 2) hash = (hash ^ ((groups[i] << 16) | groups[i + 1])) >>> 0;
  return hash;
}

/** @param {string} address e.g. `::1` -> [0, 0, 0, 0, 0, 0, 0, 1] */
function expandIpv6(address) {
  const [head, tail = ''] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const zeros = Array(Math.max(0, 8 - left.length - right.length)).fill('0');
  return [...left, ...zeros, ...right].map((g) => parseInt(g, 16) || 0);
}

/**
 * @param {number} a
 * @param {number} b
 * @returns {number}
 */
function greatestCommonDivisor(a, b) {
  return b === 0 ? a : greatestCommonDivisor(b, a % b);
}
