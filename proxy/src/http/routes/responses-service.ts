// What the Responses routes share: the reasoning seal (its key in DATA_DIR) and the stored responses.
import type { GatewayConfig } from '../../config/config.ts';
import { loadReasoningKey } from '../../store/reasoning-key.ts';
import { createResponsesStore, type ResponsesStore } from '../../store/responses-store.ts';
import { sharedResponses, type RemoteResponses, type SharedResponses } from '../../store/shared-responses.ts';
import type { Db } from '../../store/sqlite.ts';
import { createReasoningSeal, type ReasoningSeal } from '../../translate/responses/reasoning-seal.ts';

export interface ResponsesService {
  seal: ReasoningSeal;
  store: ResponsesStore;
  /** The store, and Postgres for what another replica stored (DATABASE_URL). */
  shared: SharedResponses;
  retentionMs: number;
}

export function createResponsesService(config: GatewayConfig, db: Db, now: () => number, remote?: RemoteResponses): ResponsesService {
  const store = createResponsesStore(db, now);
  return {
    seal: createReasoningSeal(loadReasoningKey(config.dataDir)),
    store,
    shared: sharedResponses(store, remote),
    retentionMs: config.responsesRetentionDays * 24 * 60 * 60 * 1000,
  };
}
