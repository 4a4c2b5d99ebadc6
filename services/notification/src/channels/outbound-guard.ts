import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { isIP } from 'node:net';
import { types } from 'node:util';
import ipaddr from 'ipaddr.js';
import { Agent, buildConnector } from 'undici';

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * Where the platform may send what partners and group admins point it at (webhook URLs, provider
 * endpoints): public unicast addresses only. Loopback, private, link-local (the cloud metadata
 * address among them), unique-local, carrier-grade NAT and every other special range are refused
 * unless the operator lists them (`OUTBOUND_ALLOWED_CIDRS`). The check is made on the addresses
 * a name resolves to, at the moment of connecting (the dispatcher's lookup), so a name that
 * resolves to a public address when saved and to an internal one later is refused then.
 */
export class OutboundGuard {
  private readonly allowed: [ipaddr.IPv4 | ipaddr.IPv6, number][];

  /** `allowedCidrs`: ranges reachable although special, e.g. `127.0.0.0/8` for local receivers. */
  constructor(allowedCidrs: readonly string[] = []) {
    this.allowed = allowedCidrs.map((cidr) => ipaddr.parseCIDR(cidr));
  }

  /** Why the address may not be reached; undefined when it may. */
  refusal(address: string): string | undefined {
    if (!ipaddr.isValid(address)) return `${address} is not an IP address`;
    // An IPv4 address written as IPv6 (::ffff:10.0.0.1) is judged as the IPv4 one.
    const parsed = ipaddr.process(address);
    if (this.allowed.some(([range, bits]) => range.kind() === parsed.kind() && parsed.match(range, bits))) {
      return undefined;
    }
    const range = parsed.range();
    return range === 'unicast' ? undefined : `${address} is a ${range} address, which is not reached from here`;
  }

  /** Why the URL's host may not be reached as written (an address in it); names are judged when resolved. */
  refusalOfUrl(url: URL): string | undefined {
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    return isIP(host) ? this.refusal(host) : undefined;
  }

  /** A name resolution that keeps only the addresses that may be reached, failing when none is left. */
  readonly lookup = (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) {
        callback(error, '');
        return;
      }
      const reachable = addresses.filter((candidate) => this.refusal(candidate.address) === undefined);
      if (reachable.length === 0) {
        const refused: NodeJS.ErrnoException = new Error(
          `${hostname} resolves to ${addresses.map((candidate) => candidate.address).join(', ')}, none of which is reached from here`,
        );
        refused.code = 'EREFUSEDADDRESS';
        callback(refused, '');
        return;
      }
      if (options.all) callback(null, reachable);
      else callback(null, reachable[0].address, reachable[0].family);
    });
  };

  private agent?: Agent;

  /**
   * The fetch dispatcher whose connections go only where the guard lets them (one pool for all
   * sends): a name through `lookup`, an address written in the URL (which is never looked up)
   * checked before connecting.
   */
  dispatcher(): Agent {
    if (this.agent) return this.agent;
    const connectByName = buildConnector({ lookup: this.lookup });
    const connect: buildConnector.connector = (options, callback) => {
      const host = options.hostname.replace(/^\[(.*)\]$/, '$1');
      const refused = isIP(host) ? this.refusal(host) : undefined;
      if (refused) {
        const error: NodeJS.ErrnoException = new Error(refused);
        error.code = 'EREFUSEDADDRESS';
        callback(error, null);
        return;
      }
      connectByName(options, callback);
    };
    this.agent = new Agent({ connect });
    return this.agent;
  }

  async close(): Promise<void> {
    await this.agent?.close();
  }
}

/** Loopback, private and other special addresses refused: what a sender without its own guard uses. */
export const PUBLIC_ONLY = new OutboundGuard();

/** The guard refused every address the name resolved to (OutboundGuard.lookup): no retry will reach it. */
export function isRefusedAddress(error: unknown): boolean {
  if (!types.isNativeError(error)) return false;
  const cause: unknown = error.cause;
  return typeof cause === 'object' && cause !== null && 'code' in cause && cause.code === 'EREFUSEDADDRESS';
}
