import { type LookupAddress, lookup } from 'node:dns';
import { BlockList, isIP } from 'node:net';

// Where a webhook may be sent: never into the server's own network (loopback, private, link-local
// and the other special ranges, IPv4 and IPv6) unless WEBHOOK_ALLOW_PRIVATE says so. A name is
// judged by every address it resolves to when the subscription is made, and again by the address
// connected to on each delivery (guardedLookup), so that a name re-pointed later (DNS rebinding)
// is refused too.

const SPECIAL = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  SPECIAL.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 127], // unspecified and loopback
  ['::', 96], // IPv4-compatible, deprecated
  ['::ffff:0:0:0', 96], // IPv4-translated
  ['64:ff9b::', 96], // NAT64: an IPv4 address inside
  ['64:ff9b:1::', 48],
  ['100::', 64], // discard
  ['2001::', 23], // IETF protocol assignments, Teredo among them
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4: an IPv4 address inside
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const)
  SPECIAL.addSubnet(net, prefix, 'ipv6');

/** The eight groups of an IPv6 address, as numbers. */
function groupsOf(address: string): number[] {
  let text = address.toLowerCase().split('%')[0] ?? '';
  // A dotted IPv4 tail (::ffff:127.0.0.1) becomes two groups.
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1]) {
    const [a, b, c, d] = dotted[1].split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, -dotted[1].length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : Array(8 - left.length - right.length).fill('0');
  return [...left, ...fill, ...right].map((g) => Number.parseInt(g, 16));
}

/** Whether an address lies in a special range: one a webhook must not reach. */
export function isSpecialAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return SPECIAL.check(address, 'ipv4');
  if (family !== 6) return true;
  const g = groupsOf(address);
  // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d): judged as the IPv4 address.
  if (g.slice(0, 5).every((x) => x === 0) && (g[5] === 0xffff || g[5] === 0)) {
    const v4 = `${(g[6] ?? 0) >> 8}.${(g[6] ?? 0) & 255}.${(g[7] ?? 0) >> 8}.${(g[7] ?? 0) & 255}`;
    if (g[5] === 0xffff || (g[6] ?? 0) !== 0) return SPECIAL.check(v4, 'ipv4');
  }
  return SPECIAL.check(address.split('%')[0] ?? address, 'ipv6');
}

export type DestinationRefusal = 'scheme' | 'credentials' | 'unresolvable' | 'private_address';

/** Why a URL may not receive webhooks, or null when it may. */
export async function refusalOf(url: string, allowPrivate: boolean): Promise<DestinationRefusal | null> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'scheme';
  }
  if (parsed.protocol !== 'https:' && !(allowPrivate && parsed.protocol === 'http:')) return 'scheme';
  if (parsed.username || parsed.password) return 'credentials';
  if (allowPrivate) return null;
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) ? [host] : await resolveAll(host);
  if (addresses === null || addresses.length === 0) return 'unresolvable';
  return addresses.some(isSpecialAddress) ? 'private_address' : null;
}

function resolveAll(host: string): Promise<string[] | null> {
  return new Promise((resolve) => {
    lookup(host, { all: true, verbatim: true }, (err, found) => resolve(err ? null : found.map((a) => a.address)));
  });
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for http.request that refuses, at connect time, a name that now resolves to a
 * special address. (An address written as the host is not looked up: check it with isSpecialAddress.)
 */
export function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: { all?: boolean; family?: number }, callback: LookupCallback) => {
    lookup(hostname, { ...options, all: true, verbatim: true }, (err, found) => {
      if (err) return callback(err, []);
      if (!allowPrivate && found.some((a) => isSpecialAddress(a.address))) {
        const refused = Object.assign(new Error(`${hostname} resolves to an address in a private range`), {
          code: 'EPRIVATEADDRESS',
        });
        return callback(refused, []);
      }
      if (options.all) return callback(null, found);
      const first = found[0] as LookupAddress;
      callback(null, first.address, first.family);
    });
  };
}
