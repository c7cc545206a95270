// SHA-256 in plain JavaScript: crypto.subtle is missing on plain-http pages (other than
// localhost) and is asynchronous, while an event must be built synchronously so that an error
// thrown just before a navigation is still queued before the page goes. Keys are short.
const K: number[] = [];
const H: number[] = [];

function init(): void {
  for (let n = 2, found = 0; found < 64; n++) {
    let prime = true;
    for (let d = 2; d * d <= n; d++) if (n % d === 0) prime = false;
    if (!prime) continue;
    // The first 32 bits of the fractional parts of the square and cube roots of the primes.
    if (found < 8) H[found] = (n ** 0.5 * 2 ** 32) | 0;
    K[found++] = (n ** (1 / 3) * 2 ** 32) | 0;
  }
}

/** The lowercase hex SHA-256 of `bytes`. */
export function sha256Hex(bytes: Uint8Array): string {
  if (!K.length) init();
  const length = bytes.length;
  const words = new Array<number>((((length + 8) >> 6) + 1) * 16).fill(0);
  for (let i = 0; i < length; i++) words[i >> 2]! |= bytes[i]! << (24 - (i % 4) * 8);
  words[length >> 2]! |= 0x80 << (24 - (length % 4) * 8);
  words[words.length - 1] = length * 8;
  const hash = H.slice();
  const w: number[] = [];
  for (let block = 0; block < words.length; block += 16) {
    let [a, b, c, d, e, f, g, h] = hash as [number, number, number, number, number, number, number, number];
    for (let i = 0; i < 64; i++) {
      if (i < 16) w[i] = words[block + i]!;
      else {
        const x = w[i - 15]!;
        const y = w[i - 2]!;
        w[i] = (w[i - 16]! + (ror(x, 7) ^ ror(x, 18) ^ (x >>> 3)) + w[i - 7]! + (ror(y, 17) ^ ror(y, 19) ^ (y >>> 10))) | 0;
      }
      const t1 = (h + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) + K[i]! + w[i]!) | 0;
      const t2 = ((ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      h = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    [a, b, c, d, e, f, g, h].forEach((v, i) => (hash[i] = (hash[i]! + v) | 0));
  }
  return hash.map((v) => (v >>> 0).toString(16).padStart(8, '0')).join('');
}

function ror(x: number, n: number): number {
  return (x >>> n) | (x << (32 - n));
}
