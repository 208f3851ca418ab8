/** Bind and connect addresses as written in the configs (loopback lives in `model/link.ts`: `isLoopback`). */

/** All interfaces: `0.0.0.0`, `::` (also `[::]`, `0:0:0:0:0:0:0:0`, `::0`) or `*`. An empty value is the caller's to judge. */
export function isWildcardAddress(address: string): boolean {
  const a = address.trim().toLowerCase().replace(/^\[|\]$/g, '');
  return a === '0.0.0.0' || a === '::' || a === '0:0:0:0:0:0:0:0' || a === '::0' || a === '*';
}

/** An IPv4 or IPv6 literal (IPv6 possibly in brackets), as opposed to a host name. */
export function isIpLiteral(address: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(address) || /^\[?[0-9a-f:]+\]?$/i.test(address);
}
