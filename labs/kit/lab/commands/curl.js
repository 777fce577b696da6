// @ts-check
/**
 * `lab curl [ADDRESS][PATH] [-X METHOD] [-d DATA] [-H NAME:VALUE] [-i]`: one request through the lab network, and
 * who served it: the headers the servers add (X-Served-By, X-App-Server) and the servers' own request counts.
 */
import { parseCommand } from '../args.js';
import { countDeltas, settledState } from '../counts.js';
import { LabError, UsageError } from '../errors.js';
import { labRequest, parseTarget } from '../lab-http.js';
import { findSupervisor } from '../launch.js';
import { formatMs, painter } from '../output.js';
import { currentWorkspace, loadWorkspaceNetwork } from '../workspace.js';

const USAGE = 'lab curl [ADDRESS][PATH] [-X METHOD] [-d DATA] [-H NAME:VALUE] [-i]';

/** @param {string[]} argv */
export async function curl(argv) {
  const { values, positionals } = parseCommand(argv, {
    request: { type: 'string', short: 'X' },
    data: { type: 'string', short: 'd' },
    header: { type: 'string', short: 'H', multiple: true },
    include: { type: 'boolean', short: 'i' },
  }, USAGE);
  if (positionals.length > 1) throw new UsageError(`name one address and path at most\nusage: ${USAGE}`);
  const workspace = currentWorkspace();
  const { address, path } = parseTarget(positionals[0], workspace.topology.entry);
  const headers = parseHeaders(values.header ?? []);
  if (values.data !== undefined && !Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
  }
  const network = loadWorkspaceNetwork(workspace);
  let endpoint;
  try {
    endpoint = network.resolve(address);
  } catch (error) {
    throw new UsageError(/** @type {Error} */ (error).message);
  }
  const client = await findSupervisor(workspace);
  const before = client ? await client.state() : null;
  const method = values.request ?? (values.data !== undefined ? 'POST' : 'GET');
  const response = await labRequest(network, { address, path, method, headers, body: values.data });
  const paint = painter();

  if (response.status === 0) {
    const hint = client ? 'is that server up? see `lab ps`' : 'the lab is not running: run `lab up`';
    throw new LabError(`no answer from ${address} (127.0.0.1:${endpoint.port}): ${response.error}; ${hint}`);
  }
  const colour = response.status < 400 ? 'green' : response.status < 500 ? 'yellow' : 'red';
  console.log(`${paint(colour, `HTTP/1.1 ${response.status} ${response.statusText}`)}  ${paint('dim', `(${method} ${address}${path}, ${formatMs(response.ms)})`)}`);
  if (values.include) {
    for (const [name, value] of Object.entries(response.headers)) console.log(`${name}: ${value}`);
  }
  const servedBy = [response.servedBy && `${response.servedBy} (X-Served-By)`, response.appServer && `${response.appServer} (X-App-Server)`]
    .filter(Boolean);
  console.log(`served by: ${servedBy.length > 0 ? servedBy.join(', then ') : 'no X-Served-By header in the answer'}`);
  if (client && before) {
    const counted = countDeltas(before, await settledState(client)).filter((server) => server.requests > 0);
    console.log(`counted by: ${counted.length > 0 ? counted.map((s) => `${s.name} +${s.requests}`).join(', ') : 'no server (yet)'}`);
  }
  console.log('');
  process.stdout.write(response.body.endsWith('\n') || response.body === '' ? response.body : `${response.body}\n`);
  return 0;
}

/** @param {string[]} lines `Name: value` */
function parseHeaders(lines) {
  /** @type {Record<string, string>} */
  const headers = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon < 1) throw new UsageError(`-H '${line}' is not a header: write it as Name:value, e.g. -H 'Accept: text/plain'`);
    headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return headers;
}
