// @ts-check
/**
 * Where a retry goes, and whether it waits first: HAProxy 2.6's rule (stream.c: stream_choose_redispatch and the
 * turn-around timer of back_handle_st_cer), checked against haproxy 2.6.12 by redispatch.test.js.
 *
 * With `option redispatch`, a retry goes to another server
 * - at once, when the balancing does not tie a client to a server (every algorithm but `source`) and more than one
 *   active server is UP: that particular server does not matter, so the first retry already tries another one;
 * - on the last retry otherwise (`source`, or a single server left), HAProxy's default interval of -1;
 * - on any retry, once the failed server is DOWN.
 * Without it, every retry goes to the same server.
 *
 * A retry after a failed connection waits min(timeout connect, 1 s) first, so as not to hammer a server that is
 * restarting, but only when it stays on the same server or has no other to go to. A failure on a reused keep-alive
 * connection is retried at once: the server most likely closed that connection, it is not down.
 *
 * So with `balance roundrobin`, one dead server and one live, a request that meets the dead one is answered by the
 * live one without delay and logged `+1`; without `option redispatch` it tries the dead one four times, waits three
 * seconds and gets 503, logged `3`.
 */

/**
 * @param {import('./backend.js').Server} server  the server that failed
 * @param {number} retriesLeft  after counting this retry: 0 means it is the last
 * @returns {{ redispatch: boolean, pause: boolean }}
 */
export function planRetry(server, retriesLeft) {
  const { config, servers } = server.backend;
  const activeUp = servers.filter((s) => !s.backup && s.usable).length;
  const spreads = config.balance !== 'source' && activeUp > 1;
  const redispatch = config.redispatch && (!server.up || retriesLeft === 0 || spreads);
  return { redispatch, pause: !redispatch || activeUp <= 1 };
}
