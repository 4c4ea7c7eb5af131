// A throwaway home folder for tests that edit IDE configuration files.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

export interface TempHome {
  home: string;
  path(...parts: string[]): string;
  /** Copies a fixture into the home, creating folders. */
  place(fixture: string, ...target: string[]): string;
  mkdir(...parts: string[]): string;
  read(...parts: string[]): Buffer;
  remove(): void;
}

export function tempHome(): TempHome {
  const home = mkdtempSync(join(tmpdir(), 'cg-home-'));
  const path = (...parts: string[]) => join(home, ...parts);
  return {
    home,
    path,
    place(fixture, ...target) {
      const to = path(...target);
      mkdirSync(dirname(to), { recursive: true });
      copyFileSync(join(FIXTURES, fixture), to);
      return to;
    },
    mkdir(...parts) {
      const dir = path(...parts);
      mkdirSync(dir, { recursive: true });
      return dir;
    },
    read: (...parts) => readFileSync(path(...parts)),
    remove: () => rmSync(home, { recursive: true, force: true }),
  };
}
