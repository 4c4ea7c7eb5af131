// Stored responses in the local SQLite database. A row is visible only to the project that created it and
// only until it expires; expired rows read as absent and are swept now and then off the read path.
import type { Db } from './sqlite.ts';

export interface StoredResponse {
  id: string;
  /** '' for calls made with the gateway key itself. */
  projectId: string;
  previousResponseId?: string;
  createdMs: number;
  /** The items this request added to the conversation, each with an id. */
  inputItems: unknown[];
  /** The response object, reasoning sealed. */
  response: Record<string, unknown>;
}

export interface ResponsesStore {
  save(entry: StoredResponse, retentionMs: number): void;
  get(id: string, projectId: string): StoredResponse | undefined;
  /** True when a row was there to delete. */
  delete(id: string, projectId: string): boolean;
  /** The items the conversation ending at `id` holds, oldest first: each turn's input, then its output. */
  conversation(id: string, projectId: string): unknown[] | undefined;
  /**
   * The turns of the conversation ending at `id` held here, newest first, and the id of the earlier turn the walk
   * stopped at because it is not here (expired, deleted, or stored by another replica).
   */
  chain(id: string, projectId: string): { turns: StoredResponse[]; missing?: string };
  sweep(): number;
}

export interface Row {
  id: string;
  project_id: string;
  previous_response_id: string | null;
  created_ms: number;
  input_items: string;
  response: string;
}

/** A conversation longer than this is cut at the oldest turns it reaches (a cycle cannot form, but be safe). */
const MAX_CHAIN = 10_000;

export function createResponsesStore(db: Db, now: () => number): ResponsesStore {
  const insert = db.prepare(
    'INSERT OR REPLACE INTO stored_responses (id, project_id, previous_response_id, created_ms, expires_ms, input_items, response) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const read = db.prepare('SELECT * FROM stored_responses WHERE id = ? AND project_id = ? AND expires_ms > ?');
  const remove = db.prepare('DELETE FROM stored_responses WHERE id = ? AND project_id = ? AND expires_ms > ?');
  const purge = db.prepare('DELETE FROM stored_responses WHERE expires_ms <= ?');
  let writes = 0;

  const get = (id: string, projectId: string): StoredResponse | undefined => {
    const row = read.get(id, projectId, now()) as Row | undefined;
    return row && fromRow(row);
  };
  const sweep = () => purge.run(now()).changes;
  const chain = (id: string, projectId: string) => {
    const turns: StoredResponse[] = [];
    for (let next: string | undefined = id; next && turns.length < MAX_CHAIN; ) {
      const entry = get(next, projectId);
      if (!entry) return { turns, missing: next };
      turns.push(entry);
      next = entry.previousResponseId;
    }
    return { turns };
  };
  return {
    save(entry, retentionMs) {
      insert.run(
        entry.id,
        entry.projectId,
        entry.previousResponseId ?? null,
        entry.createdMs,
        entry.createdMs + retentionMs,
        JSON.stringify(entry.inputItems),
        JSON.stringify(entry.response),
      );
      if (++writes % 200 === 0) sweep();
    },
    get,
    delete: (id, projectId) => remove.run(id, projectId, now()).changes > 0,
    conversation(id, projectId) {
      const { turns } = chain(id, projectId);
      // An earlier turn that expired is left out: the conversation continues from what is left.
      return turns.length === 0 ? undefined : conversationItems(turns);
    },
    chain,
    sweep,
  };
}

/** Turns given newest first → their items oldest first: each turn's input, then its output. */
export function conversationItems(newestFirst: readonly StoredResponse[]): unknown[] {
  return [...newestFirst].reverse().flatMap((t) => [...t.inputItems, ...((t.response.output as unknown[] | undefined) ?? [])]);
}

export function fromRow(row: Row): StoredResponse {
  return {
    id: row.id,
    projectId: row.project_id,
    ...(row.previous_response_id && { previousResponseId: row.previous_response_id }),
    createdMs: row.created_ms,
    inputItems: JSON.parse(row.input_items) as unknown[],
    response: JSON.parse(row.response) as Record<string, unknown>,
  };
}
