// Random id fragments (letters and digits) for request ids, completion ids and generated keys. They are cut
// from a block of random bytes filled in one call: asking the system for 12 bytes twice per request costs
// more than the rest of the id work.
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
