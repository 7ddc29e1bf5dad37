import { BlockList, isIP } from 'node:net';

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/**
 * True only for a loopback peer: 127.0.0.0/8, ::1, or IPv4-mapped 127.x
 * (::ffff:127.0.0.1). Give it the socket's own address, never a forwarded
 * header: a header is whatever the caller chose to write.
 */
export function isLoopback(address: string | undefined): boolean {
  const family = address ? isIP(address) : 0;
  if (family === 0) return false;
  return LOOPBACK.check(address as string, family === 4 ? 'ipv4' : 'ipv6');
}
