// Stored responses across replicas. This replica's own SQLite is asked first; what it does not hold (a response
// another replica created, or the earlier turns of one it continued) is looked up in Postgres when DATABASE_URL
// is set. A miss there is remembered for a few seconds, so made-up ids cannot keep the pool busy; a Postgres that
// is away or slow reads as "not found", never as an error.
import type { Replicator } from './postgres/replicator.ts';
import { createPgResponses } from './postgres/pg-responses.ts';
import { conversationItems, fromRow, type ResponsesStore, type StoredResponse } from './responses-store.ts';

export interface SharedResponses {
  find(id: string, projectId: string): Promise<StoredResponse | undefined>;
  /** The turns of the conversation ending at `id`, newest first; empty when that response is not there. */
  chain(id: string, projectId: string): Promise<StoredResponse[]>;
  /** Its items oldest first (each turn's input, then its output); undefined when that response is not there. */
  conversation(id: string, projectId: string): Promise<unknown[] | undefined>;
  /** True when there was a response to delete, here or in Postgres. */
  delete(id: string, projectId: string): Promise<boolean>;
}

export interface RemoteResponses {
  chain(id: string, projectId: string): Promise<StoredResponse[]>;
  delete(id: string, projectId: string): Promise<boolean>;
}

const MISS_MS = 5_000;
const MAX_MISSES = 10_000;

export function remoteResponses(replicator: Replicator, schema: string, now: () => number): RemoteResponses {
  const pg = createPgResponses(schema);
  const misses = new Map<string, number>();
  return {
    async chain(id, projectId) {
      const key = `${projectId}\u0000${id}`;
      const missedAt = misses.get(key);
      if (missedAt !== undefined && now() - missedAt < MISS_MS) return [];
      const rows = await replicator.onRequestPath((client) => pg.chain(client, id, projectId));
      if (rows === 'unavailable') return [];
      if (rows.length === 0) {
        if (misses.size >= MAX_MISSES) misses.clear();
        misses.set(key, now());
      }
      return rows.map(fromRow);
    },
    async delete(id, projectId) {
      const deleted = await replicator.onRequestPath((client) => pg.delete(client, id, projectId));
      return deleted === true;
    },
  };
}

export function sharedResponses(local: ResponsesStore, remote: RemoteResponses | undefined): SharedResponses {
  const chain = async (id: string, projectId: string) => {
    const here = local.chain(id, projectId);
    if (!remote || here.missing === undefined) return here.turns;
    return [...here.turns, ...(await remote.chain(here.missing, projectId))];
  };
  return {
    async find(id, projectId) {
      return local.get(id, projectId) ?? (remote && (await remote.chain(id, projectId))[0]);
    },
    chain,
    async conversation(id, projectId) {
      const turns = await chain(id, projectId);
      return turns.length === 0 ? undefined : conversationItems(turns);
    },
    async delete(id, projectId) {
      if (local.delete(id, projectId)) return true;
      return remote ? remote.delete(id, projectId) : false;
    },
  };
}
