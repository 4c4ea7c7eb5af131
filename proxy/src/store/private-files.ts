// The data folder holds cached answers, memories, batch inputs, usage and keys: only its owner may read it,
// whatever the process umask. Folders are 0700 and files 0600, set explicitly (a umask can only take bits away
// from what open() asks for, and 000 takes none), and tightened again on every start for older installs.
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Creates the folder (and missing parents) and makes the folder itself owner-only. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  chmodSync(dir, PRIVATE_DIR_MODE);
}

/** Makes an existing file owner-only; a file that does not exist is left alone. */
export function tightenFile(file: string): void {
  if (existsSync(file)) chmodSync(file, PRIVATE_FILE_MODE);
}

/** Creates an empty owner-only file unless it exists, then tightens it either way. */
export function ensurePrivateFile(file: string): void {
  closeSync(openSync(file, 'a', PRIVATE_FILE_MODE));
  chmodSync(file, PRIVATE_FILE_MODE);
}

/**
 * A secret kept in a file of its own: read when present, otherwise made by `generate`, written owner-only, and
 * reported through `announce` (once: the next start reads it back).
 */
export function keptSecret(file: string, generate: () => string, announce: (value: string) => void): string {
  if (existsSync(file)) {
    tightenFile(file);
    return readFileSync(file, 'utf8').trim();
  }
  const value = generate();
  const fd = openSync(file, 'wx', PRIVATE_FILE_MODE);
  try {
    writeSync(fd, `${value}\n`);
  } finally {
    closeSync(fd);
  }
  chmodSync(file, PRIVATE_FILE_MODE);
  announce(value);
  return value;
}
