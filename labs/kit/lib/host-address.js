// @ts-check
/**
 * Is this the host part of an address: an IPv4 address, an IPv6 address in brackets, or a host name? Node would
 * pass `300.1.1.1` to the system's resolver, which looks it up as a name and fails only when a connection is
 * tried, long after the configuration was read. The real servers refuse it when they start; so do the tiers.
 */

/**
 * What is wrong with a host, in a few words, or undefined when it is fine.
 * @param {string} host e.g. `10.0.0.41`, `db-01`, `[::1]`
 * @returns {string | undefined}
 */
export function hostProblem(host) {
  if (host === '') return 'the host is missing';
  if (/^[\d.]+$/.test(host)) {
    const parts = host.split('.');
    if (parts.length !== 4 || parts.some((part) => part === '')) return `'${host}' is not an IPv4 address: it has four numbers separated by dots`;
    const big = parts.find((part) => Number(part) > 255);
    if (big !== undefined) return `'${host}' is not an IPv4 address: each of its four numbers is from 0 to 255, and ${big} is not`;
    return undefined;
  }
  if (host.startsWith('[')) {
    return /^\[[\da-f:.]*:[\da-f:.]*\]$/i.test(host) ? undefined : `'${host}' is not an IPv6 address in brackets, such as [::1]`;
  }
  if (host.length > 253 || !/^[a-z\d]([a-z\d-]{0,61}[a-z\d])?(\.[a-z\d]([a-z\d-]{0,61}[a-z\d])?)*$/i.test(host)) {
    return `'${host}' is not an IP address or a host name (a name has letters, digits, dashes and dots)`;
  }
  return undefined;
}
