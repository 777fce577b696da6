// @ts-check
/**
 * `balance roundrobin`: HAProxy's weighted round robin (lb_fwrr.c), which spreads a heavy server's turns evenly
 * between the others' instead of giving them in a row. With weights 3, 2, 1 the rotation is
 * s1 s2 s1 s3 s1 s2, s1 s2 s1 s3 s1 s2, ... and with equal weights simply s1 s2 s3 s1 s2 s3.
 *
 * The idea: a clock (`position`) advances by one at every request. Each server has the position of its next turn,
 * and after a turn it moves forward by total weight / its weight: a server of weight 3 out of 6 comes back every
 * 2 positions, one of weight 1 every 6. The server whose turn is due goes next. Servers enter the rotation one by
 * one, heaviest first, whenever no turn is due; after a window of positions every server starts afresh.
 *
 * HAProxy keeps the servers in trees to choose in O(log n); a lab has a handful of servers, so lists do.
 * HAProxy also moves a server that goes DOWN or UP without restarting the rotation; here the backend builds a new
 * RoundRobin when its set of usable servers changes, so the rotation restarts from the heaviest server.
 */

/** HAProxy multiplies weights by 16 (BE_WEIGHT_SCALE) so that it can change them smoothly at run time. */
const WEIGHT_SCALE = 16;

/**
 * @template {{ weight: number }} S
 * @typedef {{ server: S, weight: number, next: number, remainder: number, order: number }} Turn
 */

/** @template {{ weight: number }} S */
export class RoundRobin {
  /** @param {S[]} servers the usable servers, in the order of the configuration */
  constructor(servers) {
    /** @type {Turn<S>[]} servers that have not had a turn yet in this window, heaviest first */
    this.waiting = servers.map((server) => ({ server, weight: server.weight * WEIGHT_SCALE, next: 0, remainder: 0, order: 0 }))
      .sort((a, b) => b.weight - a.weight);
    /** @type {Turn<S>[]} servers in the rotation */
    this.rotation = [];
    /** @type {Turn<S>[]} servers whose next turn falls after this window */
    this.nextWindow = [];
    this.totalWeight = this.waiting.reduce((sum, turn) => sum + turn.weight, 0);
    this.position = this.totalWeight;
    this.windowEnd = 2 * this.totalWeight;
    this.queued = 0;
  }

  /**
   * @param {S} [avoid] a server to skip if another one is usable (the one a retry is redispatched away from)
   * @returns {S | undefined}
   */
  pick(avoid) {
    let newWindow = false;
    /** @type {Turn<S> | undefined} */
    let avoided;
    /** @type {Turn<S> | undefined} */
    let chosen;
    while (!chosen) {
      const turn = this.takeDueTurn();
      if (!turn) {
        if (newWindow) break;
        this.startNewWindow();
        newWindow = true;
        continue;
      }
      this.moveForward(turn);
      this.position++;
      if (turn.server === avoid && !avoided) avoided = turn;
      else chosen = turn;
    }
    if (!chosen) [chosen, avoided] = [avoided, undefined];
    if (chosen) this.queue(chosen);
    if (avoided) this.queue(avoided);
    return chosen?.server;
  }

  /** The turn that is due: the earliest in the rotation, or a newcomer when the earliest is not due yet. */
  takeDueTurn() {
    let earliest = -1;
    for (let i = 0; i < this.rotation.length; i++) {
      if (earliest < 0 || comesBefore(this.rotation[i], this.rotation[earliest])) earliest = i;
    }
    if ((earliest < 0 || this.rotation[earliest].next > this.position) && this.waiting.length > 0) {
      const newcomer = /** @type {Turn<S>} */ (this.waiting.shift());
      newcomer.next = 0;
      newcomer.remainder = 0;
      return newcomer;
    }
    return earliest < 0 ? undefined : this.rotation.splice(earliest, 1)[0];
  }

  /** @param {Turn<S>} turn */
  moveForward(turn) {
    const from = turn.next === 0 ? this.position : turn.next;
    turn.next = from + Math.floor(this.totalWeight / turn.weight);
    turn.remainder += this.totalWeight % turn.weight;
    if (turn.remainder >= turn.weight) {
      turn.remainder -= turn.weight;
      turn.next++;
    }
  }

  /** @param {Turn<S>} turn */
  queue(turn) {
    if (turn.next >= this.windowEnd) {
      this.nextWindow.push(turn);
    } else {
      turn.order = this.queued++;
      this.rotation.push(turn);
    }
  }

  startNewWindow() {
    this.waiting = this.nextWindow.sort((a, b) => b.weight - a.weight);
    this.nextWindow = [];
    this.position = this.totalWeight;
  }
}

/**
 * Ties go to the heavier server (with less carried-over remainder), then to the one queued first.
 * @param {Turn<any>} a
 * @param {Turn<any>} b
 */
function comesBefore(a, b) {
  if (a.next !== b.next) return a.next < b.next;
  const tieA = a.remainder - a.weight;
  const tieB = b.remainder - b.weight;
  return tieA !== tieB ? tieA < tieB : a.order < b.order;
}
