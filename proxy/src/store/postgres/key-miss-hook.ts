// A project key created on another replica works here at once: when a request presents a project key this
// replica does not know (or knows as revoked), Postgres is asked before the key check runs. Only keys of the exact
// shape this gateway makes are looked up; unknown ones are remembered for a while, and lookups are rate-limited
// (lookup-gate.ts), so random keys cannot tie up the pool.
import type { FastifyInstance } from 'fastify';
import { presentedKey } from '../../projects/keys.ts';
import { hashKey, isWellFormedProjectKey } from '../../projects/project-keys.ts';
import type { KeyStore } from '../key-store.ts';
import type { Replicator } from './replicator.ts';

/** Registered before the key check (installSecurity), which then finds the key in the local store. */
export function installRemoteKeyLookup(app: FastifyInstance, keys: Pick<KeyStore, 'find'>, replicator: Replicator, enabled: boolean): void {
  if (!enabled) return;
  app.addHook('onRequest', async (request) => {
    if ((request.routeOptions.config?.access ?? 'api') === 'open') return;
    const key = presentedKey(request.headers);
    if (key === undefined || !isWellFormedProjectKey(key) || keys.find(key)) return;
    await replicator.lookupKey(hashKey(key));
  });
}
