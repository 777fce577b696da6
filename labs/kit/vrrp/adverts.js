// @ts-check
/**
 * VRRP advertisements, carried over HTTP. Real VRRP is IP protocol 112: the master sends a small packet to a
 * multicast group (or, with unicast_peer, to each peer) every advert_int. A browser container has no raw sockets,
 * so here an advertisement is an HTTP POST of a JSON document to `<peer address>:112`, which the lab network table
 * turns into a loopback port. Like a lost IP packet, an advertisement that cannot be delivered is simply gone.
 */
import http from 'node:http';
import { createHttpServer, listen } from '../lib/http-server.js';
import { isIpv4 } from './config-values.js';
import { log } from './log.js';

/** The port of VRRP's IP protocol number, so that the table reads `"10.0.0.11:112": 23011`. */
export const VRRP_PORT = 112;

const PATH = '/vrrp';
const MAX_BYTES = 4096;
const SEND_TIMEOUT_MS = 1000;

/**
 * The fields of a VRRP packet (RFC 5798 section 5.2, and RFC 3768 for the version 2 password).
 * @typedef {object} Advert
 * @property {2 | 3} version
 * @property {number} virtualRouterId  "Virtual Rtr ID": which virtual router this is about
 * @property {number} priority         0 means "the master is stopping: take over now"
 * @property {number} advertInt        seconds; version 3 calls it "Max Adver Int"
 * @property {string} [authPass]       version 2's simple password, absent without authentication
 * @property {string[]} addresses      the virtual IP addresses
 * @property {string} from             the sender's unicast_src_ip: in real VRRP, the packet's source address
 */

/**
 * Listens for advertisements and hands every well-formed one to `onAdvert`.
 * @param {import('../lib/network.js').Endpoint} endpoint
 * @param {(advert: Advert) => void} onAdvert
 */
export async function listenForAdverts(endpoint, onAdvert) {
  const server = createHttpServer((request, response) => {
    if (request.method !== 'POST' || request.url !== PATH) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end(`send advertisements as POST ${PATH}\n`);
      return;
    }
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk) => {
      body += chunk;
      if (body.length > MAX_BYTES) request.destroy();
    });
    request.on('end', () => {
      const advert = parseAdvert(body);
      if (typeof advert === 'string') {
        log(`ignoring a malformed advertisement: ${advert}`);
        response.writeHead(400, { 'content-type': 'text/plain' }).end(`${advert}\n`);
        return;
      }
      onAdvert(advert);
      response.writeHead(204).end();
    });
  });
  await listen(server, endpoint.port, endpoint.host);
  return server;
}

/**
 * @param {string} text
 * @returns {Advert | string} the advertisement, or what is wrong with it
 */
function parseAdvert(text) {
  /** @type {any} */
  let advert;
  try {
    advert = JSON.parse(text);
  } catch {
    return 'the body is not JSON';
  }
  const isByte = (/** @type {unknown} */ n) => Number.isInteger(n) && Number(n) >= 0 && Number(n) <= 255;
  const valid = advert !== null && typeof advert === 'object'
    && (advert.version === 2 || advert.version === 3)
    && isByte(advert.virtualRouterId) && isByte(advert.priority)
    && typeof advert.advertInt === 'number' && advert.advertInt > 0
    && (advert.authPass === undefined || typeof advert.authPass === 'string')
    && Array.isArray(advert.addresses) && advert.addresses.every(isIpv4)
    && typeof advert.from === 'string' && isIpv4(advert.from);
  return valid ? advert : 'expected { version, virtualRouterId, priority, advertInt, authPass?, addresses, from }';
}

/**
 * A function that sends one advertisement to every peer and resolves when each has answered or given up.
 * @param {Array<import('../lib/network.js').Endpoint>} peers
 * @returns {(advert: Advert) => Promise<void>}
 */
export function createAdvertSender(peers) {
  return async (advert) => {
    const body = JSON.stringify(advert);
    await Promise.all(peers.map((peer) => post(peer, body)));
  };
}

/**
 * @param {import('../lib/network.js').Endpoint} peer
 * @param {string} body
 * @returns {Promise<void>}
 */
function post({ host, port }, body) {
  return new Promise((resolve) => {
    const request = http.request({
      host, port, path: PATH, method: 'POST', agent: false, timeout: SEND_TIMEOUT_MS,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    }, (response) => response.resume());
    request.on('timeout', () => request.destroy());
    request.on('error', () => {});
    request.on('close', () => resolve());
    request.end(body);
  });
}
