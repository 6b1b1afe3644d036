import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

/** One address a host name resolves to. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to every address it has. */
export type ResolveHost = (hostname: string) => Promise<ResolvedAddress[]>;

/** How outbound calls find and vet the addresses they connect to. */
export interface AddressPolicy {
  /** Default: the system resolver (getaddrinfo), as any other program on the machine would. */
  resolveHost: ResolveHost;
  /** True for an address Rounds must not call. Default: `isInternalAddress`. */
  isBlockedAddress: (address: string) => boolean;
  /** Certificate authorities to trust instead of the system's (only tests' own HTTPS servers need this). */
  ca?: string;
}

/** Why an outbound call was not made or not finished; every message is Rounds' own, never the far end's. */
export type OutboundFailure =
  | 'invalid_url'
  | 'blocked_address'
  | 'unresolvable'
  | 'unreachable'
  | 'timeout'
  | 'redirect'
  | 'too_large'
  | 'not_json';

export class OutboundError extends Error {
  constructor(
    readonly kind: OutboundFailure,
    message: string,
  ) {
    super(message);
    this.name = 'OutboundError';
  }
}

const systemResolver: ResolveHost = async (hostname) => {
  const found = await lookup(hostname, { all: true, verbatim: true });
  return found.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));
};

const defaultPolicy: AddressPolicy = { resolveHost: systemResolver, isBlockedAddress: isInternalAddress };
let processPolicy: AddressPolicy = defaultPolicy;

/**
 * Replaces how every outbound call of this process resolves and vets hosts, and returns the function that puts
 * the default back. For tests only: a Rounds started in a test calls its LMS through the same module, and a
 * test of the production guard needs names that resolve to chosen addresses.
 */
export function useAddressPolicy(policy: Partial<AddressPolicy>): () => void {
  const previous = processPolicy;
  processPolicy = { ...previous, ...policy };
  return () => {
    processPolicy = previous;
  };
}

/** The policy in force: this process's, with a single call's overrides on top. */
export function addressPolicy(overrides: Partial<AddressPolicy> = {}): AddressPolicy {
  return { ...processPolicy, ...overrides };
}

/** IPv4 networks no LMS lives on: "this network", private, shared (CGNAT), loopback, link-local (cloud metadata at
 * 169.254.169.254), IETF protocol assignments, benchmarking, multicast, reserved and broadcast (RFC 6890). */
const internalIpv4: Array<[string, number]> = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];

function ipv4Number(address: string): number {
  return address.split('.').reduce((value, part) => value * 256 + Number(part), 0);
}

const internalIpv4Ranges = internalIpv4.map(([network, prefix]) => {
  const size = 2 ** (32 - prefix);
  const start = ipv4Number(network);
  return { start, end: start + size - 1 };
});

function isInternalIpv4(address: string): boolean {
  const value = ipv4Number(address);
  return internalIpv4Ranges.some(({ start, end }) => value >= start && value <= end);
}

/** The eight 16-bit groups of an IPv6 address (any valid textual form, RFC 4291 §2.2, zone id dropped). */
export function ipv6Groups(address: string): number[] {
  let text = address.split('%')[0]!.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)?.[1];
  if (dotted) {
    const value = ipv4Number(dotted);
    text = `${text.slice(0, -dotted.length)}${(value >>> 16).toString(16)}:${(value & 0xffff).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : Array(8 - headGroups.length - tailGroups.length).fill('0');
  return [...headGroups, ...zeros, ...tailGroups].map((group) => parseInt(group, 16));
}

function embeddedIpv4(high: number, low: number): string {
  return [high >>> 8, high & 0xff, low >>> 8, low & 0xff].join('.');
}

function isInternalIpv6(address: string): boolean {
  const groups = ipv6Groups(address);
  const [first = 0] = groups;
  const zeroUpTo = (count: number) => groups.slice(0, count).every((group) => group === 0);
  // ::ffff:a.b.c.d (mapped, RFC 4291 §2.5.5.2) and 64:ff9b::a.b.c.d (NAT64, RFC 6052) reach an IPv4 host.
  if (zeroUpTo(5) && groups[5] === 0xffff) return isInternalIpv4(embeddedIpv4(groups[6]!, groups[7]!));
  if (first === 0x64 && groups[1] === 0xff9b && groups.slice(2, 6).every((group) => group === 0)) {
    return isInternalIpv4(embeddedIpv4(groups[6]!, groups[7]!));
  }
  // 6to4 (RFC 3056) carries the IPv4 address in its second and third groups.
  if (first === 0x2002) return isInternalIpv4(embeddedIpv4(groups[1]!, groups[2]!));
  return (
    zeroUpTo(6) || // ::, ::1 and the deprecated IPv4-compatible ::a.b.c.d
    (first & 0xfe00) === 0xfc00 || // fc00::/7 unique local (incl. AWS metadata fd00:ec2::254)
    (first & 0xffc0) === 0xfe80 || // fe80::/10 link-local
    (first & 0xffc0) === 0xfec0 || // fec0::/10 site-local (deprecated)
    (first & 0xff00) === 0xff00 // ff00::/8 multicast
  );
}

/**
 * True for an address a production Rounds never calls on an LMS's say-so: loopback, private, shared, link-local
 * and metadata, multicast and reserved, in IPv4, IPv6 and IPv4-mapped IPv6 forms. Anything that is not an IP
 * address counts as internal (deny by default).
 */
export function isInternalAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '');
  const family = isIP(bare.split('%')[0]!);
  if (family === 4) return isInternalIpv4(bare);
  if (family === 6) return isInternalIpv6(bare);
  return true;
}

/** The host of a URL as an address or name to resolve (IPv6 literals without their brackets). */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '');
}

/**
 * Resolves a host and refuses it when any of its addresses is blocked. Returns the addresses it checked, so a
 * connection can be made to exactly those (no second lookup a rebinding DNS server could answer differently).
 */
export async function checkedAddresses(host: string, policy: AddressPolicy): Promise<ResolvedAddress[]> {
  const family = isIP(host);
  let addresses: ResolvedAddress[];
  if (family) {
    addresses = [{ address: host, family: family === 6 ? 6 : 4 }];
  } else {
    try {
      addresses = await policy.resolveHost(host);
    } catch {
      addresses = [];
    }
    if (addresses.length === 0) throw new OutboundError('unresolvable', `Rounds could not find ${host}.`);
  }
  if (addresses.some(({ address }) => policy.isBlockedAddress(address))) {
    throw new OutboundError(
      'blocked_address',
      `${host} is on a private or local address, which Rounds does not call.`,
    );
  }
  return addresses;
}

/**
 * Refuses an http(s) URL whose host is, or resolves to, a loopback, private, link-local or metadata address
 * (throws OutboundError `invalid_url`, `unresolvable` or `blocked_address`). For checks before storing a URL;
 * `outboundRequest` checks again, on the address it connects to.
 */
export async function assertPublicUrl(
  url: URL | string,
  overrides: Partial<AddressPolicy> = {},
): Promise<void> {
  await checkedAddresses(hostOf(parseWebUrl(url)), addressPolicy(overrides));
}

/** Parses an http(s) URL; anything else (another scheme, not a URL) is an `invalid_url` OutboundError. */
export function parseWebUrl(url: string | URL): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new OutboundError('invalid_url', 'That is not a URL.');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new OutboundError('invalid_url', `Rounds only calls http(s) URLs, not ${parsed.protocol}.`);
  }
  return parsed;
}
