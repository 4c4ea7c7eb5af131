// Stored responses in Postgres: written from the outbox (a deletion becomes a tombstone that no later write
// revives), read by a replica that does not hold them as a whole conversation in one query, and deleted there
// by a replica that does not hold them either. Reads honour the owner, the expiry and the tombstone.
import type { PoolClient } from 'pg';
import type { StoredResponseRow } from './outbox.ts';
import { quoteIdent } from './pg-schema.ts';

/** A conversation longer than this is cut at its oldest turns, as the local store does. */
const MAX_CHAIN = 10_000;

const iso = (ms: number) => new Date(ms).toISOString();

export function createPgResponses(schema: string) {
  const table = `${quoteIdent(schema)}.stored_responses`;
  const upsert = `INSERT INTO ${table} AS r (id, project_id, previous_response_id, created_at, expires_at, input_items, response)
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::text[], $7::text[])
    ON CONFLICT (id) DO UPDATE SET expires_at = excluded.expires_at, input_items = excluded.input_items, response = excluded.response
    WHERE r.deleted_at IS NULL AND r.project_id = excluded.project_id`;
  const tombstone = `UPDATE ${table} SET deleted_at = now(), input_items = '[]', response = '{}' WHERE id = ANY($1::text[]) AND deleted_at IS NULL`;
  const live = `r.project_id = $2 AND r.deleted_at IS NULL AND r.expires_at > now()`;
  // The response and the turns it continued, newest first; the walk stops at a turn that is gone.
  const chain = `WITH RECURSIVE chain AS (
      SELECT r.*, 1 AS depth FROM ${table} r WHERE r.id = $1 AND ${live}
      UNION ALL
      SELECT r.*, c.depth + 1 FROM ${table} r JOIN chain c ON r.id = c.previous_response_id WHERE ${live} AND c.depth < ${MAX_CHAIN}
    ) SELECT id, project_id, previous_response_id, created_at, expires_at, input_items, response FROM chain ORDER BY depth`;
  const remove = `UPDATE ${table} SET deleted_at = now(), input_items = '[]', response = '{}' WHERE id = $1 AND project_id = $2 AND deleted_at IS NULL AND expires_at > now()`;

  return {
    async write(client: PoolClient, rows: readonly StoredResponseRow[], deleted: readonly string[]): Promise<void> {
      if (rows.length > 0) {
        await client.query(upsert, [
          rows.map((r) => r.id), rows.map((r) => r.project_id), rows.map((r) => r.previous_response_id), rows.map((r) => iso(r.created_ms)),
          rows.map((r) => iso(r.expires_ms)), rows.map((r) => r.input_items), rows.map((r) => r.response),
        ]);
      }
      if (deleted.length > 0) await client.query(tombstone, [deleted]);
    },

    /** The conversation ending at `id`, newest turn first; empty when that response is not there for the project. */
    async chain(client: PoolClient, id: string, projectId: string): Promise<StoredResponseRow[]> {
      const { rows } = await client.query<PgStoredResponse>(chain, [id, projectId]);
      return rows.map((r) => ({ ...r, created_ms: r.created_at.getTime(), expires_ms: r.expires_at.getTime() }));
    },

    /** True when there was a live response of that project to delete. */
    async delete(client: PoolClient, id: string, projectId: string): Promise<boolean> {
      return ((await client.query(remove, [id, projectId])).rowCount ?? 0) > 0;
    },
  };
}

export type PgResponses = ReturnType<typeof createPgResponses>;

interface PgStoredResponse {
  id: string;
  project_id: string;
  previous_response_id: string | null;
  created_at: Date;
  expires_at: Date;
  input_items: string;
  response: string;
}
