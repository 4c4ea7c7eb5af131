// Typed access to the persisted settings. The backend is electron-store in the app and a plain object in tests;
// this module only needs "read everything" and "write everything".
import { readSettings, type DesktopSettings } from './settings.ts';

export interface SettingsBackend {
  read(): unknown;
  write(data: DesktopSettings): void;
}

export interface SettingsStore {
  get(): DesktopSettings;
  update(change: (current: DesktopSettings) => DesktopSettings): DesktopSettings;
}

export function createSettingsStore(backend: SettingsBackend): SettingsStore {
  let current = readSettings(backend.read());
  return {
    get: () => current,
    update(change) {
      const next = readSettings(change(structuredClone(current)));
      backend.write(next);
      current = next;
      return next;
    },
  };
}

/** An in-memory backend, for tests and for running without a writable profile. */
export function memorySettingsBackend(initial: unknown = {}): SettingsBackend & { data: unknown } {
  const box = {
    data: structuredClone(initial),
    read: () => structuredClone(box.data),
    write: (value: DesktopSettings) => {
      box.data = structuredClone(value);
    },
  };
  return box;
}
