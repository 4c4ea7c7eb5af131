// The chat path's token savings: the reduction pipeline on every translated request (with its per-gateway
// state: cache pacing, pinned summaries, the repo map) and the exact-match response cache.
import type { Message, MessageCreateParams } from '@anthropic-ai/sdk/resources/messages';
import type { GatewayConfig } from '../config/config.ts';
import type { ProjectPolicy } from '../projects/identity.ts';
import { cacheOptFromHeaders, isCacheable, responseCacheKey } from '../reduce/cache-key.ts';
import type { CacheTtl } from '../reduce/cache-control.ts';
import { CachePacing } from '../reduce/pacing.ts';
import { PrefixStore } from '../reduce/prefix-state.ts';
import { reduceRequest, settingsForProject, type ReductionReport, type ReductionSettings } from '../reduce/pipeline.ts';
import { createRepoMapStore, type RepoMapStore } from '../reduce/repo-map/store.ts';
import { MemorySummaryCache } from '../reduce/summary.ts';
import type { KeyValueCache } from '../shared-state/shared-state.ts';
import type { ConversationIds } from '../translate/conversation-id.ts';
import type { ChatRequest } from '../translate/openai-types.ts';
import type { TranslatedRequest } from '../translate/request.ts';
import { capabilitiesFor } from '../models/catalog.ts';

export interface ReducedRequest extends TranslatedRequest {
  /** Absent when every layer is off. */
  reduction?: ReductionReport;
}

export interface ChatSavings {
  /**
   * Applies the configured layers (narrowed by the project's switches) to one translated request. `conversation`
   * is the request's conversation ids: the named one paces the cache, the content one keys the prefix state.
   */
  reduce(translated: TranslatedRequest, project: Pick<ProjectPolicy, 'id' | 'reduction'> | undefined, conversation: ConversationIds): ReducedRequest;
  /** The response-cache key for a request, or undefined when it must not be cached. */
  cacheKey(chat: ChatRequest, params: MessageCreateParams, headers: Record<string, string | string[] | undefined>, project: Pick<ProjectPolicy, 'id' | 'reduction'> | undefined): string | undefined;
  lookup(key: string): Promise<Message | undefined>;
  store(key: string, message: Message): void;
  /** The repo map, once loaded (ENABLE_REPO_MAP); also what the repo_map plugin tool reads. */
  repoMap(): RepoMapStore | undefined;
  /**
   * Loads what reduction needs before a request that reduces (the repo map's grammars). Called by the routes
   * that reduce, so the grammars load on first use, never at start-up; later calls resolve at once.
   */
  ready(): Promise<void>;
}

// A conversation with nothing to anchor it (no human message yet) has no pacing history: the shorter lifetime.
const DEFAULT_CACHE_TTL: CacheTtl = '5m';

export function createChatSavings(config: GatewayConfig, cache: KeyValueCache, now: () => number): ChatSavings {
  const pacing = new CachePacing();
  const summaries = new MemorySummaryCache();
  const prefixes = new PrefixStore();
  let repoMap: RepoMapStore | undefined;
  let loading: Promise<void> | undefined;

  return {
    reduce(translated, project, conversation) {
      const settings = settingsForProject(config.reduction, project?.reduction);
      // With every layer off the request goes as translated, and no estimate is made or recorded.
      if (!anyLayerOn(settings)) return translated as ReducedRequest;
      const params = translated.params;
      // The request's conversation ids (made once per request), scoped by project. The client's own name for the
      // conversation, when given, paces the cache; the prefix state stays keyed by the content.
      const scope = `${project?.id ?? ''}\u0000`;
      const content = conversation.content === undefined ? undefined : scope + conversation.content;
      const named = conversation.named === undefined ? undefined : scope + conversation.named;
      const at = now();
      const autoTtl = () => (named === undefined ? DEFAULT_CACHE_TTL : pacing.observe(named, at));
      const { params: reduced, report, state } = reduceRequest(params, {
        settings,
        minCacheableTokens: capabilitiesFor(params.model).minCacheableTokens,
        cacheTtl: settings.promptCacheTtl === 'auto' ? autoTtl() : settings.promptCacheTtl,
        ...(project && { projectId: project.id }),
        ...(repoMap && { repoMap }),
        summaries,
        previous: content === undefined ? undefined : prefixes.take(content, at),
      });
      if (content !== undefined) prefixes.put(content, state, at);
      return { ...translated, params: reduced, reduction: report };
    },
    cacheKey(chat, params, headers, project) {
      if (config.cacheTtlSeconds <= 0 || project?.reduction?.responseCache === false) return undefined;
      if (!isCacheable(chat, params, cacheOptFromHeaders(headers))) return undefined;
      // Per project: one project never sees another's answers.
      return `${project?.id ?? 'default'}:${responseCacheKey(params)}`;
    },
    async lookup(key) {
      try {
        const hit = await cache.get(key);
        return hit === undefined ? undefined : (JSON.parse(hit) as Message);
      } catch {
        return undefined;
      }
    },
    store(key, message) {
      if (message.stop_reason === 'refusal') return;
      void cache.set(key, JSON.stringify(message), config.cacheTtlSeconds).catch(() => {});
    },
    repoMap: () => repoMap,
    ready() {
      if (!config.reduction.repoMap) return Promise.resolve();
      loading ??= createRepoMapStore({ ttlSeconds: config.reduction.fileHashCacheTtlSeconds, now }).then((store) => {
        repoMap = store;
      });
      return loading;
    },
  };
}

function anyLayerOn(s: ReductionSettings): boolean {
  return (
    s.stripIdeBoilerplate || s.anthropicCacheControl || s.fileHashCache || s.contextPruning || s.enforceDiffFirst || s.repoMap ||
    s.systemMaxChars > 0 || s.userMsgMaxChars > 0 || s.toolResultMaxChars > 0
  );
}

/** "strip,cacheControl,dedup" or "none": what X-Reduction tells the client. */
export function reductionHeader(report: ReductionReport | undefined): string {
  return report && report.applied.length > 0 ? report.applied.join(',') : 'none';
}
