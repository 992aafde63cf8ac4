import fc from 'fast-check';

/** One way to damage a file's bytes (see {@link damage}). */
export interface ByteDamage {
  readonly kind: string;
  readonly position: number;
  readonly bytes: readonly number[];
  readonly noise: Uint8Array;
}

/** Ways to damage a file's bytes: invalid UTF-8, NUL, truncation, a stray quote, noise. */
export const byteDamage: fc.Arbitrary<ByteDamage> = fc.record({
  kind: fc.constantFrom('invalid-utf8', 'nul', 'truncate', 'quote', 'noise', 'swap-line-ends'),
  position: fc.double({ min: 0, max: 1, noNaN: true }),
  bytes: fc.constantFrom(
    [0xff],
    [0xc3, 0x28],
    [0xc0, 0xaf],
    [0xed, 0xa0, 0x80],
    [0xf8, 0x88, 0x80, 0x80, 0x80],
    [0x80],
    [0xe2, 0x82],
    [0xef, 0xbb, 0xbf],
  ),
  noise: fc.uint8Array({ minLength: 1, maxLength: 64 }),
});

/** Applies one {@link byteDamage} to a file's bytes. */
export function damage(bytes: Uint8Array, d: ByteDamage): Uint8Array {
  const at = Math.min(bytes.length, Math.floor(d.position * bytes.length));
  const splice = (insert: ArrayLike<number>) => {
    const out = new Uint8Array(bytes.length + insert.length);
    out.set(bytes.subarray(0, at), 0);
    out.set(insert, at);
    out.set(bytes.subarray(at), at + insert.length);
    return out;
  };
  switch (d.kind) {
    case 'invalid-utf8':
      return splice(d.bytes);
    case 'nul':
      return splice([0]);
    case 'truncate':
      return bytes.subarray(0, at);
    case 'quote':
      return splice([0x22]);
    case 'noise':
      return splice(d.noise);
    default:
      return Uint8Array.from(bytes, (b) => (b === 0x0a ? 0x0d : b));
  }
}
