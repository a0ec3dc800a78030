// Which addresses the connectivity check may reach. A server address comes from a user (the
// settings page) and the check fetches it at once, so it must not become a way to reach the
// machine's cloud metadata service or a link-local device: link-local (169.254/16, fe80::/10,
// which hold the AWS/GCP/Azure metadata address 169.254.169.254), the other providers'
// metadata addresses and names, and the unspecified address are refused, whatever name
// resolves to them, unless the user allows that host or address explicitly: in
// HIDEEZ_HES_ALLOW_ADDRESSES (comma-separated), or the client's `allowedAddresses` option.
// Private and loopback addresses stay allowed: on-premises HES servers live there.
import { BlockList, isIP } from 'node:net';

export const ALLOW_ADDRESSES_ENV = 'HIDEEZ_HES_ALLOW_ADDRESSES';

export type RefusedKind = 'linkLocal' | 'metadata' | 'unspecified';

const METADATA_NAMES = new Set([
  'metadata',
  'metadata.google.internal',
  'metadata.goog',
  'instance-data',
  'instance-data.ec2.internal',
]);

const lists: Record<RefusedKind, BlockList> = {
  linkLocal: new BlockList(),
  metadata: new BlockList(),
  unspecified: new BlockList(),
};
lists.linkLocal.addSubnet('169.254.0.0', 16, 'ipv4');
lists.linkLocal.addSubnet('fe80::', 10, 'ipv6');
lists.metadata.addAddress('100.100.100.200', 'ipv4'); // Alibaba Cloud
lists.metadata.addAddress('fd00:ec2::254', 'ipv6'); // AWS over IPv6
lists.unspecified.addSubnet('0.0.0.0', 8, 'ipv4');
lists.unspecified.addAddress('::', 'ipv6');

const bare = (host: string): string => host.replace(/^\[|\]$/g, '').toLowerCase();

/** Why an IP address or host name is refused (undefined: allowed). IPv4-mapped IPv6 too. */
export function refusedKind(hostOrIp: string): RefusedKind | undefined {
  const host = bare(hostOrIp).replace(/\.$/, '');
  if (METADATA_NAMES.has(host)) return 'metadata';
  const family = isIP(host);
  if (family === 0) return undefined;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  for (const kind of ['metadata', 'linkLocal', 'unspecified'] as const) {
    if (lists[kind].check(host, type)) return kind;
  }
  return undefined;
}

/** The explicit exceptions: host names and addresses, any case, brackets optional. */
export function allowList(entries: readonly string[]): ReadonlySet<string> {
  return new Set(entries.map((e) => bare(e.trim())).filter((e) => e !== ''));
}

/** The exceptions in HIDEEZ_HES_ALLOW_ADDRESSES (none when unset). */
export function allowListFromEnv(env: Readonly<Record<string, string | undefined>>): string[] {
  return (env[ALLOW_ADDRESSES_ENV] ?? '').split(',');
}

export const isAllowed = (allowed: ReadonlySet<string>, hostOrIp: string): boolean =>
  allowed.has(bare(hostOrIp));
