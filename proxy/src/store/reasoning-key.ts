// The key that seals reasoning handed to Responses clients. It lives in DATA_DIR (mode 0600) so that a restart,
// or a second gateway on the same folder, opens what an earlier one sealed. Created once, never rotated here:
// a new key only makes earlier reasoning unreadable, which the gateway then drops with a note.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const REASONING_KEY_FILE = 'reasoning.key';

export function loadReasoningKey(dataDir: string): Buffer {
  const file = join(dataDir, REASONING_KEY_FILE);
  const existing = readKey(file);
  if (existing) return existing;
  mkdirSync(dataDir, { recursive: true });
  try {
    // 'wx': when two gateways start together, the first one's key wins and the other reads it.
    writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const key = readKey(file);
  if (!key) throw new Error(`${file} does not hold a 64-digit hex key; remove it to have a new one made`);
  return key;
}

function readKey(file: string): Buffer | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return /^[0-9a-f]{64}$/i.test(text) ? Buffer.from(text, 'hex') : undefined;
}
