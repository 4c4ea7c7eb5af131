// Secrets (the Anthropic key, the gateway and admin keys) live only as safeStorage-encrypted blobs: one file per
// secret, owner-only. When the OS offers no real keychain (safeStorage unavailable, or Linux's 'basic_text'
// backend, which encrypts with a hard-coded password) secrets are kept in memory for this session instead of
// being written in a form anyone could read back.
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SafeStoragePort } from '../platform/ports.ts';

export type SecretName = 'anthropicApiKey' | 'gatewayApiKey' | 'adminApiKey' | 'upstreams';
export const SECRET_NAMES: readonly SecretName[] = ['anthropicApiKey', 'gatewayApiKey', 'adminApiKey', 'upstreams'];

export interface SecretStore {
  get(name: SecretName): string | undefined;
  set(name: SecretName, value: string): void;
  delete(name: SecretName): void;
  /** False when secrets cannot be persisted safely and live only in memory. */
  readonly persistent: boolean;
}

export function keychainUsable(safeStorage: SafeStoragePort): boolean {
  if (!safeStorage.isEncryptionAvailable()) return false;
  const backend = safeStorage.getSelectedStorageBackend?.();
  return backend === undefined || backend !== 'basic_text';
}

export function createSecretStore(dir: string, safeStorage: SafeStoragePort): SecretStore {
  const persistent = keychainUsable(safeStorage);
  const memory = new Map<SecretName, string>();
  const file = (name: SecretName) => join(dir, `${name}.bin`);

  return {
    persistent,
    get(name) {
      if (memory.has(name)) return memory.get(name);
      if (!persistent || !existsSync(file(name))) return undefined;
      try {
        const value = safeStorage.decryptString(readFileSync(file(name)));
        memory.set(name, value);
        return value;
      } catch {
        // A blob from another machine or user cannot be decrypted: treat it as absent rather than fail to start.
        return undefined;
      }
    },
    set(name, value) {
      memory.set(name, value);
      if (!persistent) return;
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const target = file(name);
      const temp = `${target}.tmp`;
      writeFileSync(temp, safeStorage.encryptString(value), { mode: 0o600 });
      chmodSync(temp, 0o600);
      renameSync(temp, target);
    },
    delete(name) {
      memory.delete(name);
      if (persistent) rmSync(file(name), { force: true });
    },
  };
}
