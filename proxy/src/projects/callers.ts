// Who a presented key belongs to. The gateway key and the admin key speak for the 'default' project (the admin
// key may also open /admin); with ENABLE_MULTI_PROJECT a project key (`cgp_…`) speaks for its own project and
// nothing else: it never opens /admin.
//
// Every SQLite read takes file locks (a few µs each), so identities are kept in memory: dropped at once when
// this gateway changes a project or key, and after a second at most when another process shares the database.
import type { GatewayConfig } from '../config/config.ts';
import { GatewayError } from '../errors.ts';
import { digestMatches, keyIdFromDigest, presentedDigest } from './keys.ts';
import type { KeyStore } from '../store/key-store.ts';
import type { ProjectStore } from '../store/project-store.ts';
import { DEFAULT_PROJECT_ID, openPolicy, type Identity } from './identity.ts';
import { looksLikeProjectKey } from './project-keys.ts';

export type IdentifyCaller = (key: string, access: 'api' | 'admin') => Identity | undefined;

export interface CallerSources {
  projects: Pick<ProjectStore, 'policy'>;
  keys: Pick<KeyStore, 'find' | 'touch'>;
  /** Changes whenever projects or keys change. */
  epoch(): number;
}

const CACHE_MS = 1000;
const CACHE_LIMIT = 10_000;
// Keys that opened something keep their digest: an IDE presents the same key on every request. A key that
// opened nothing is never kept, so guessing cannot fill the map.
const DIGEST_LIMIT = 1024;

export function createCallerDirectory(
  config: Pick<GatewayConfig, 'gatewayApiKey' | 'adminApiKey' | 'enableMultiProject'>,
  sources: CallerSources,
  now: () => number = Date.now,
): IdentifyCaller {
  const cache = new Map<string, { identity: Identity; epoch: number; until: number }>();
  const remembered = (slot: string, build: () => Identity | undefined): Identity | undefined => {
    const hit = cache.get(slot);
    const t = now();
    if (hit && hit.epoch === sources.epoch() && hit.until > t) return hit.identity;
    const identity = build();
    if (identity) {
      if (cache.size >= CACHE_LIMIT) cache.clear();
      cache.set(slot, { identity, epoch: sources.epoch(), until: t + CACHE_MS });
    } else {
      cache.delete(slot);
    }
    return identity;
  };

  const defaultCaller = (id: string, admin: boolean): Identity =>
    remembered(`default:${admin}:${id}`, () => ({
      keyId: id,
      project: sources.projects.policy(DEFAULT_PROJECT_ID) ?? openPolicy(DEFAULT_PROJECT_ID, 'Default'),
      admin,
    }))!;

  // `digest` is the key's SHA-256, the same as hashKey(key): hashed at most once per request, and not again for
  // a key that opened something before.
  const projectCaller = (key: string, digest: Buffer): Identity | undefined => {
    if (!config.enableMultiProject || !looksLikeProjectKey(key)) return undefined;
    const identity = remembered(`project:${digest.toString('hex')}`, () => {
      const found = sources.keys.find(key);
      const project = found && sources.projects.policy(found.projectId);
      return found && project ? { keyId: found.keyId, project, admin: false } : undefined;
    });
    if (identity) sources.keys.touch(identity.keyId);
    return identity;
  };

  const acceptedDigests = new Map<string, Buffer>();
  const identify: IdentifyCaller = (key, access) => {
    const known = acceptedDigests.get(key);
    const digest = known ?? presentedDigest(key);
    const identity = identifyDigest(key, digest, access);
    if (identity && known === undefined) {
      if (acceptedDigests.size >= DIGEST_LIMIT) acceptedDigests.clear();
      acceptedDigests.set(key, digest);
    }
    return identity;
  };

  const identifyDigest = (key: string, digest: Buffer, access: 'api' | 'admin'): Identity | undefined => {
    // The admin key also opens the API: an operator may test with it. A configuration where both keys are the
    // same never opens /admin: the key every IDE holds is not an admin key.
    const adminKey = config.adminApiKey === config.gatewayApiKey ? '' : config.adminApiKey;
    if (digestMatches(digest, adminKey)) return defaultCaller(keyIdFromDigest(digest), true);
    if (access === 'admin') {
      if (projectCaller(key, digest)) {
        throw new GatewayError({ status: 403, type: 'permission_error', code: 'admin_key_required', message: 'Project keys cannot use the admin API: use the admin key.' });
      }
      return undefined;
    }
    if (digestMatches(digest, config.gatewayApiKey)) return defaultCaller(keyIdFromDigest(digest), false);
    return projectCaller(key, digest);
  };

  return identify;
}
