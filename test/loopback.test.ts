// The single loopback rule every module uses (src/loopback.ts).
import { describe, expect, it } from 'vitest';
import { isLoopbackAddress, isLoopbackHost } from '../src/loopback.js';

describe('isLoopbackHost', () => {
  it('accepts localhost, 127.0.0.0/8 and ::1 in any case and spelling', () => {
    for (const name of ['localhost', 'LOCALHOST', 'localhost.', 'LocalHost.', '127.0.0.1', '127.0.0.2', '127.255.255.255', '127.1.2.3', '::1', '[::1]', '0:0:0:0:0:0:0:1', '[0::0001]']) {
      expect(isLoopbackHost(name), name).toBe(true);
    }
  });

  it('refuses other machines, lookalikes and malformed addresses', () => {
    for (const name of [
      '',
      '0.0.0.0',
      '::',
      '[::]',
      '192.168.1.10',
      '10.0.0.1',
      '128.0.0.1',
      '127.0.0.256',
      '127.0.0.01',
      '127.1',
      '127.0.0.1.nip.io',
      'localhost.example.com',
      'mylocalhost',
      'localhost..',
      '::2',
      '[::1',
      'fe80::1%lo',
      '::ffff:127.0.0.1',
      'example.com',
    ]) {
      expect(isLoopbackHost(name), name).toBe(false);
    }
  });
});

describe('isLoopbackAddress', () => {
  it('accepts socket peers on loopback, including IPv4 through a dual-stack socket', () => {
    for (const address of ['127.0.0.1', '127.0.0.9', '::1', '::ffff:127.0.0.1', '::FFFF:127.3.2.1']) {
      expect(isLoopbackAddress(address), address).toBe(true);
    }
  });

  it('refuses other peers', () => {
    for (const address of ['', '192.0.2.2', '::ffff:192.0.2.2', 'fd00::2', '::ffff:127.0.0.256']) {
      expect(isLoopbackAddress(address), address).toBe(false);
    }
  });
});
