import { isLoopback } from './loopback';

describe('isLoopback (who may read /metrics)', () => {
  it.each([
    '127.0.0.1',
    '127.255.10.2',
    '::1',
    '0:0:0:0:0:0:0:1',
    '::ffff:127.0.0.1',
    '::FFFF:127.9.9.9',
    '::ffff:7f00:1',
  ])('lets %s in', (address) => {
    expect(isLoopback(address)).toBe(true);
  });

  it.each([
    '10.0.0.1',
    '192.168.1.20',
    '128.0.0.1',
    '126.255.255.255',
    '::ffff:10.0.0.1',
    '::ffff:128.0.0.1',
    '::2',
    'fe80::1',
    '2001:db8::1',
    '0.0.0.0',
    '::',
  ])('keeps %s out', (address) => {
    expect(isLoopback(address)).toBe(false);
  });

  it.each([undefined, '', 'localhost', '127.0.0.1, 10.0.0.1', '127.0.0.1.5', ' 127.0.0.1'])(
    'keeps out what is not an address: %p',
    (address) => {
      expect(isLoopback(address)).toBe(false);
    },
  );
});
