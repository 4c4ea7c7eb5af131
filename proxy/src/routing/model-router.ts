// Chooses the upstream model for a request: resolution of the name the client sent, then — for `auto`, or the
// default model when SMART_ROUTE_DEFAULT_MODEL is on — the smart router: features, the project's history for
// similar requests, the score, and the conversation's current model. Learns from outcomes reported back.
import type { RoutingReliabilityConfig } from '../config/routing-reliability.ts';
import { parseModelId } from '../models/model-id.ts';
import { detectRedo, turnSnapshot } from './conversation.ts';
import { decideRoute } from './decide.ts';
import { extractFeatures } from './features.ts';
import { historyAdjustment, similarityBucket } from './history.ts';
import type { RoutingHistoryStore } from './history-store.ts';
import type { ProjectRouting } from './project-policy.ts';
import { defaultModelFor, resolveModel, type ModelSource, type ResolveOptions } from './resolve-model.ts';
import type { RoutingInput } from './routing-input.ts';
import { scoreRequest } from './scorer.ts';

type RouterConfig = Parameters<typeof resolveModel>[1] & Pick<RoutingReliabilityConfig, 'enableSmartRouting' | 'opusRoutingThreshold' | 'smartRouteDefaultModel'>;

export interface RouteRequest {
  requested: string;
  project: ProjectRouting;
  /** Built only when the smart router runs. */
  input: () => RoutingInput;
  /** The conversation's id (conversation-id.ts, the named one): made once per request, shared with memory and pacing. */
  conversationId: string | undefined;
}

/** What to credit when the answer comes back, for requests the smart router decided. */
export interface OutcomeTicket {
  projectId: string;
  bucket: string;
  model: string;
  conversationId?: string;
}

export interface RouteResult {
  model: string;
  source: ModelSource;
  /** Why this model, for X-Route-Reason and the usage record. */
  reason: string;
  score: number | null;
  outcome?: OutcomeTicket;
}

export interface ModelRouter {
  route(request: RouteRequest): Promise<RouteResult>;
  /** Reports how a smart-routed answer ended: `bad` when it failed. */
  recordOutcome(ticket: OutcomeTicket, bad: boolean): Promise<void>;
  /** Lets the history store write what is pending (the gateway is closing). */
  close(): void;
}

export interface ModelRouterOptions {
  config: RouterConfig;
  history: RoutingHistoryStore;
  now: () => number;
}

/** Short names for reason texts: the model family when the two differ by family, else the ids. */
export function modelLabels(baseModel: string, strongModel: string): { base: string; strong: string } {
  const base = parseModelId(baseModel).family;
  const strong = parseModelId(strongModel).family;
  return base && strong && base !== strong ? { base, strong } : { base: baseModel, strong: strongModel };
}

export function createModelRouter(options: ModelRouterOptions): ModelRouter {
  const { config, history, now } = options;

  return {
    async route(request) {
      const resolveOptions: ResolveOptions = { projectDefault: request.project.defaultModel };
      const resolved = resolveModel(request.requested, config, resolveOptions);
      const baseModel = defaultModelFor(config, request.project.defaultModel);
      const strongModel = config.opusModel;
      const asksDefault = resolved.source === 'auto' || (config.smartRouteDefaultModel && resolved.model === baseModel);
      if (!config.enableSmartRouting || !asksDefault || baseModel === strongModel) {
        const reason =
          resolved.source !== 'auto'
            ? resolved.source
            : request.project.defaultModel && baseModel !== config.defaultModel
              ? 'auto:project default'
              : config.enableSmartRouting
                ? 'auto:default'
                : 'auto:default (smart routing off)';
        return { model: resolved.model, source: resolved.source, reason, score: null };
      }

      const input = request.input();
      const projectId = request.project.id;
      const features = extractFeatures(input);
      const conversationId = request.conversationId;
      const snapshot = turnSnapshot(input);
      const previous = conversationId ? await history.getConversation(projectId, conversationId) : undefined;
      // A retry or a repeated question means the last answer did not do the job: charge it before deciding.
      if (previous && !previous.badReported && detectRedo(previous, snapshot)) {
        await history.addOutcome(projectId, previous.bucket, previous.model, { served: 0, bad: 1 });
        previous.badReported = true;
      }

      const labels = modelLabels(baseModel, strongModel);
      const bucket = similarityBucket(features);
      const stats = await history.bucketStats(projectId, bucket);
      const scored = scoreRequest(features, historyAdjustment(stats, baseModel, strongModel, labels));
      const decision = decideRoute({
        scored,
        threshold: config.opusRoutingThreshold,
        baseModel,
        strongModel,
        labels,
        previous,
        midToolLoop: features.midToolLoop,
        estimatedTokens: features.estimatedTokens,
      });

      if (conversationId) {
        await history.putConversation(projectId, conversationId, {
          model: decision.model,
          score: decision.score,
          bucket,
          messageCount: snapshot.messageCount,
          lastMessageHash: snapshot.lastMessageHash,
          lastHumanHash: snapshot.lastHumanHash,
          badReported: false,
          updatedAt: now(),
        });
      }
      const outcome: OutcomeTicket = { projectId, bucket, model: decision.model };
      if (conversationId) outcome.conversationId = conversationId;
      return { model: decision.model, source: 'smart', reason: decision.reason, score: decision.score, outcome };
    },

    close() {
      history.close?.();
    },

    async recordOutcome(ticket, bad) {
      await history.addOutcome(ticket.projectId, ticket.bucket, ticket.model, { served: 1, bad: bad ? 1 : 0 });
      if (!bad || !ticket.conversationId) return;
      const state = await history.getConversation(ticket.projectId, ticket.conversationId);
      if (state && !state.badReported) await history.putConversation(ticket.projectId, ticket.conversationId, { ...state, badReported: true });
    },
  };
}
