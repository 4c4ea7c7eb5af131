// Where the router keeps what it learns: outcome counts per project, bucket and model, and each conversation's
// current model. Asynchronous so it can live in a shared database; the in-memory store serves one process.
import type { ConversationState } from './conversation.ts';
import type { BucketStats, OutcomeStats } from './history.ts';

export interface RoutingHistoryStore {
  /** Outcome counts per model for one bucket of a project's similar requests. */
  bucketStats(projectId: string, bucket: string): Promise<BucketStats>;
  /** Adds to a model's counts (served answers, answers that needed redoing). */
  addOutcome(projectId: string, bucket: string, model: string, add: OutcomeStats): Promise<void>;
  getConversation(projectId: string, conversationId: string): Promise<ConversationState | undefined>;
  putConversation(projectId: string, conversationId: string, state: ConversationState): Promise<void>;
  /** Writes anything still pending; called when the gateway closes. */
  close?(): void;
}

export interface MemoryRoutingHistoryOptions {
  /** Conversations remembered; the least recently used are forgotten first. */
  maxConversations?: number;
}

export function createMemoryRoutingHistory(options: MemoryRoutingHistoryOptions = {}): RoutingHistoryStore {
  const maxConversations = options.maxConversations ?? 10_000;
  const outcomes = new Map<string, BucketStats>();
  const conversations = new Map<string, ConversationState>();
  const bucketKey = (projectId: string, bucket: string) => `${projectId}\u0000${bucket}`;
  const conversationKey = (projectId: string, id: string) => `${projectId}\u0000${id}`;

  return {
    async bucketStats(projectId, bucket) {
      const stats = outcomes.get(bucketKey(projectId, bucket)) ?? {};
      return Object.fromEntries(Object.entries(stats).map(([model, s]) => [model, { ...s }]));
    },
    async addOutcome(projectId, bucket, model, add) {
      const key = bucketKey(projectId, bucket);
      const stats = outcomes.get(key) ?? {};
      const current = stats[model] ?? { served: 0, bad: 0 };
      stats[model] = { served: current.served + add.served, bad: current.bad + add.bad };
      outcomes.set(key, stats);
    },
    async getConversation(projectId, id) {
      const state = conversations.get(conversationKey(projectId, id));
      return state ? { ...state } : undefined;
    },
    async putConversation(projectId, id, state) {
      const key = conversationKey(projectId, id);
      conversations.delete(key);
      conversations.set(key, { ...state });
      if (conversations.size > maxConversations) conversations.delete(conversations.keys().next().value!);
    },
  };
}
