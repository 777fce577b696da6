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
 * What a router may answer an advertisement with. Real VRRP has no answer; in the lab a router that holds the
 * sender's virtual address on its ports after a handover says so (virtual-ip.js), as a switch "knows" where it
 * delivers an address.
 * @typedef {{ from: string, forwarding: string[] }} Reply
 */

/**
 * Listens for advertisements and hands every well-formed one to `onAdvert`; its reply, if any, is the answer.
 * @param {import('../lib/network.js').Endpoint} endpoint
 * @param {(advert: Advert) => Reply | undefined} onAdvert
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
      const reply = onAdvert(advert);
      if (reply) response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(reply));
      else response.writeHead(204).end();
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
 * A function that sends one advertisement to every peer and resolves, when each has answered or given up, with
 * the replies that came back.
 * A peer on the other side of a lab partition (`lab partition`) gets nothing, as if a firewall dropped the packet;
 * the log says so once when the cut appears and once when it heals (keepalived itself cannot know).
 * @param {Array<import('../lib/network.js').Endpoint>} peers
 * @param {(peer: import('../lib/network.js').Endpoint) => string | undefined} [cutOff] the server a cut hides it behind
 * @returns {(advert: Advert) => Promise<Reply[]>}
 */
export function createAdvertSender(peers, cutOff = () => undefined) {
  /** @type {Map<import('../lib/network.js').Endpoint, string>} the peers cut off at the last advertisement */
  const cut = new Map();
  return async (advert) => {
    const body = JSON.stringify(advert);
    const replies = await Promise.all(peers.map((peer) => {
      const behind = cutOff(peer);
      if (behind !== cut.get(peer)) {
        log(behind ? `lab: the network to ${behind} is cut (lab partition): advertisements to it are lost`
          : `lab: the network to ${cut.get(peer)} is whole again`);
        if (behind) cut.set(peer, behind);
        else cut.delete(peer);
      }
      return behind ? undefined : post(peer, body);
    }));
    return replies.filter((reply) => reply !== undefined);
  };
}

/**
 * @param {import('../lib/network.js').Endpoint} peer
 * @param {string} body
 * @returns {Promise<Reply | undefined>} the peer's reply, when it gave a well-formed one
 */
function post({ host, port }, body) {
  return new Promise((resolve) => {
    let text = '';
    const request = http.request({
      host, port, path: PATH, method: 'POST', agent: false, timeout: SEND_TIMEOUT_MS,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    }, (response) => {
      response.setEncoding('utf8');
      response.on('data', (chunk) => { if (text.length < MAX_BYTES) text += chunk; });
      response.on('end', () => resolve(parseReply(text)));
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => {});
    request.on('close', () => resolve(undefined));
    request.end(body);
  });
}

/**
 * @param {string} text
 * @returns {Reply | undefined}
 */
function parseReply(text) {
  try {
    const reply = JSON.parse(text);
    const valid = typeof reply?.from === 'string' && Array.isArray(reply.forwarding) && reply.forwarding.every(isIpv4);
    return valid ? reply : undefined;
  } catch {
    return undefined;
  }
}
