// @ts-check
/**
 * How the `lab` command writes for a person. Plain text that reads the same in a WebContainer's `jsh` and in
 * bash or zsh; the only escape codes are the basic colours, and only when the output is a terminal (and NO_COLOR
 * is not set).
 */

const CODES = { red: 31, green: 32, yellow: 33, dim: 2, bold: 1 };

/** @typedef {keyof typeof CODES} Colour */

/** Where the text goes, as far as colour is concerned: a terminal or not. */
/** @typedef {{ isTTY?: boolean }} Destination */

/**
 * @param {Destination} stream
 * @returns {(colour: Colour, text: string) => string}
 */
export function painter(stream = process.stdout) {
  const enabled = Boolean(stream.isTTY) && !process.env.NO_COLOR;
  return (colour, text) => (enabled ? `\u001b[${CODES[colour]}m${text}\u001b[0m` : text);
}

/** The colour of a server's or service's state. @param {string} state @returns {Colour} */
export function stateColour(state) {
  if (state === 'up') return 'green';
  if (state === 'starting' || state === 'degraded') return 'yellow';
  if (state === 'stopped') return 'dim';
  return 'red';
}

/**
 * Lines of columns padded to the widest cell. Cells may be painted: the padding counts the visible text only.
 * @param {string[][]} rows
 */
export function table(rows) {
  const visible = (/** @type {string} */ text) => text.replace(/\u001b\[\d+m/g, '').length;
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => visible(row[column] ?? ''))));
  return rows.map((row) => row
    .map((cell, column) => (column === row.length - 1 ? cell : cell + ' '.repeat(widths[column] - visible(cell))))
    .join('  ')
    .trimEnd());
}

/**
 * The lab's state as a table, and where the virtual IP is.
 * @param {import('./client.js').LabStateJson} state
 * @param {Destination} [stream]
 */
export function stateTable(state, stream = process.stdout) {
  const paint = painter(stream);
  const rows = [['SERVER', 'ROLE', 'STATE', 'REQUESTS', 'SERVICES']];
  for (const server of state.servers) {
    const services = server.services.map((service) => {
      const detail = service.pid ? ` (pid ${service.pid})`
        : 'exitCode' in service && service.exitCode !== null ? ` (code ${service.exitCode})` : '';
      return `${service.name} ${paint(stateColour(service.state), service.state)}${detail}`;
    });
    rows.push([server.name, server.role, paint(stateColour(server.state), server.state), String(server.requests),
      services.join(', ')]);
  }
  const lines = table(rows);
  if (state.vip) {
    lines.push(state.vip.owner ? `virtual IP ${state.vip.address} is on ${state.vip.owner}`
      : paint('yellow', `virtual IP ${state.vip.address} is on no server at the moment: nothing answers it until a VRRP daemon claims it`));
    const claimants = state.vip.claimants ?? [];
    if (claimants.length > 1) lines.push(paint('red', `split brain: ${claimants.join(' and ')} both claim MASTER for ${state.vip.address}`));
  }
  for (const [a, b] of state.partitions ?? []) lines.push(paint('yellow', `the network between ${a} and ${b} is cut: \`lab heal\` mends it`));
  return lines.join('\n');
}

/** @param {number} ms */
export function formatMs(ms) {
  return ms < 10 ? `${ms.toFixed(1)} ms` : ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}
