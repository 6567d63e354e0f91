// Where an upstream URL points, as far as can be told without DNS: a public host, or one of the
// address kinds a registrant must not reach by default (loopback, private networks, link-local
// and cloud metadata, unspecified, internal names). And whether a scope's `upstreams:` list
// admits it. Pure: host names are judged as written; they are never resolved.
import { BlockList, isIP } from 'node:net';
import { matchesPattern } from '../config/pattern.js';

export type HostKind = 'public' | 'loopback' | 'private' | 'link-local' | 'metadata' | 'unspecified' | 'reserved' | 'internal-name';

const RANGES: [HostKind, string, number, 'ipv4' | 'ipv6'][] = [
  ['metadata', '169.254.169.254', 32, 'ipv4'], // AWS, GCP, Azure, OpenStack
  ['metadata', '169.254.170.2', 32, 'ipv4'], // AWS ECS task metadata
  ['metadata', '100.100.100.200', 32, 'ipv4'], // Alibaba Cloud
  ['metadata', 'fd00:ec2::254', 128, 'ipv6'], // AWS over IPv6
  ['unspecified', '0.0.0.0', 8, 'ipv4'],
  ['loopback', '127.0.0.0', 8, 'ipv4'],
  ['private', '10.0.0.0', 8, 'ipv4'],
  ['private', '172.16.0.0', 12, 'ipv4'],
  ['private', '192.168.0.0', 16, 'ipv4'],
  ['private', '100.64.0.0', 10, 'ipv4'], // carrier-grade NAT, also used inside clouds
  ['link-local', '169.254.0.0', 16, 'ipv4'],
  ['reserved', '192.0.0.0', 24, 'ipv4'],
  ['reserved', '198.18.0.0', 15, 'ipv4'],
  ['reserved', '224.0.0.0', 4, 'ipv4'], // multicast
  ['reserved', '240.0.0.0', 4, 'ipv4'], // reserved and broadcast
  ['unspecified', '::', 128, 'ipv6'],
  ['loopback', '::1', 128, 'ipv6'],
  ['private', 'fc00::', 7, 'ipv6'],
  ['link-local', 'fe80::', 10, 'ipv6'],
  ['reserved', 'ff00::', 8, 'ipv6'],
  ['reserved', '64:ff9b::', 96, 'ipv6'], // NAT64: reaches IPv4 addresses, private ones too
];

const KIND_LISTS = new Map<HostKind, BlockList>();
for (const [kind, address, prefix, family] of RANGES) {
  if (!KIND_LISTS.has(kind)) KIND_LISTS.set(kind, new BlockList());
  KIND_LISTS.get(kind)!.addSubnet(address, prefix, family);
}
// First match wins: metadata before link-local and private, which contain those addresses.
const KIND_ORDER: HostKind[] = ['metadata', 'unspecified', 'loopback', 'private', 'link-local', 'reserved'];

/** A URL's hostname without IPv6 brackets or a trailing dot, lower-cased. */
export function bareHost(hostname: string): string {
  return hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase();
}

function familyOf(address: string): 'ipv4' | 'ipv6' | undefined {
  const v = isIP(address);
  return v === 4 ? 'ipv4' : v === 6 ? 'ipv6' : undefined;
}

/** What kind of place a host is (an IPv4-mapped IPv6 address counts as its IPv4 address). */
export function hostKind(hostname: string): HostKind {
  const host = bareHost(hostname);
  const family = familyOf(host);
  if (!family) {
    // Names that stay inside a network by definition (RFC 6761, 6762, 8375; cloud metadata).
    if (host === 'localhost' || host.endsWith('.localhost')) return 'loopback';
    if (host === 'metadata.google.internal' || host === 'metadata') return 'metadata';
    if (!host.includes('.') || /\.(local|internal|lan|home\.arpa|intranet|corp)$/.test(host)) return 'internal-name';
    return 'public';
  }
  return KIND_ORDER.find((kind) => KIND_LISTS.get(kind)!.check(host, family)) ?? 'public';
}

function inRange(host: string, range: string): boolean {
  const [address, bits] = range.split('/') as [string, string];
  const family = familyOf(address);
  const hostFamily = familyOf(host);
  if (!family || !hostFamily) return false;
  const list = new BlockList();
  try {
    list.addSubnet(address, Number(bits), family);
  } catch {
    return false;
  }
  return list.check(host, hostFamily);
}

/**
 * Does one `upstreams:` entry admit this host? `*` patterns admit public hosts only; an
 * address, a range or an exact name admits whatever it names, loopback and metadata included.
 */
export function upstreamEntryAdmits(entry: string, hostname: string): boolean {
  const host = bareHost(hostname);
  const rule = bareHost(entry);
  if (rule.includes('/')) return inRange(host, rule);
  if (rule.includes('*')) return hostKind(host) === 'public' && matchesPattern(rule, host);
  if (familyOf(rule) && familyOf(host)) return inRange(host, `${rule}/${familyOf(rule) === 'ipv4' ? 32 : 128}`);
  return rule === host;
}

export function upstreamAdmitted(entries: readonly string[], hostname: string): boolean {
  return entries.some((e) => upstreamEntryAdmits(e, hostname));
}
