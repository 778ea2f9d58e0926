import { randomBytes } from 'node:crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
let pool = randomBytes(1 << 16);
let at = 0;

/**
 * A record ID of the hub's shape, `<org>.<kind>_<ULID>` (what `newId` of @hub/core makes), whose
 * ULID carries `time` (the record's own time, e.g. a session's start) instead of the time of
 * generation. `newId` draws each random character with its own `randomBytes` call (about 45 µs an
 * ID here), which alone would take most of a minute for the million attendance records; this
 * takes the random part from a pooled buffer. The database's CHECK constraints check the shape.
 */
export function timedId(org: string, kind: string, time: number): string {
  let t = Math.floor(time);
  let stamp = '';
  for (let i = 0; i < 10; i++) {
    stamp = CROCKFORD[t % 32] + stamp;
    t = Math.floor(t / 32);
  }
  if (at + 16 > pool.length) {
    pool = randomBytes(1 << 16);
    at = 0;
  }
  let random = '';
  for (let i = 0; i < 16; i++) random += CROCKFORD[pool[at++] & 31];
  return `${org}.${kind}_${stamp}${random}`;
}

/** A small seeded PRNG (mulberry32): the same scale and seed give the same dataset, IDs aside. */
export function seededRandom(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
