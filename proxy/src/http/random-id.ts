// Id fragments (letters and digits): random ones for generated keys, time-ordered ones for request, completion
// and error ids. Random bytes are cut from a block filled in one call: asking the system for 12 bytes twice per
// request costs more than the rest of the id work.
import { randomFillSync } from 'node:crypto';

const ID_BYTES = 12;
const pool = Buffer.alloc(ID_BYTES * 256);
let offset = pool.length;

export function randomId(): string {
  if (offset + ID_BYTES > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const id = pool.toString('base64url', offset, offset + ID_BYTES);
  offset += ID_BYTES;
  return id.replace(/[-_]/g, 'x');
}

// Milliseconds in base 36, zero-padded: text order is time order (until the year 5188).
const TIME_CHARS = 9;
const ID_CHARS = 16;
// Several ids are made in the same millisecond (a request's id, its completion's id): the prefix is kept.
let prefixMs = -1;
let prefix = '';

/**
 * A 16-character id that starts with the time: usage records and error events are indexed by id, and ids that
 * grow with time are appended to those indexes instead of landing on a random page each (one page written per
 * batch of records rather than one per record). The other 7 characters are random.
 */
export function timeOrderedId(now: number = Date.now()): string {
  if (now !== prefixMs) {
    prefixMs = now;
    prefix = now.toString(36).padStart(TIME_CHARS, '0');
  }
  return prefix + randomId().slice(0, ID_CHARS - TIME_CHARS);
}
