// Short content hashes for references: eight hex digits of SHA-256, enough to tell copies apart inside one
// request, where a reference is also checked against its first line and its line count.
import { hash } from 'node:crypto';

export function shortHash(text: string): string {
  return hash('sha256', text, 'hex').slice(0, 8);
}

export function sha256Hex(text: string): string {
  return hash('sha256', text, 'hex');
}
