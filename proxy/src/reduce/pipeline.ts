// The token-reduction pipeline: a pure function from a translated Anthropic request to the request sent
// upstream, plus a report of what each layer saved. No I/O and no clock: state (the repo-map parser memo,
// pinned summaries) is injected, and what is sent depends only on the request itself.
//
// Layers, each switchable: strip (IDE boilerplate), caps, cacheControl (breakpoints), dedup, prune,
// diffFirst, repoMap. They run in the order that keeps every rewrite prefix-stable: caps first (they act on
// whole texts), then strip and dedup (message i from messages 0..i), prune (whole stable chunks; the repo
// map fills in for the file bodies it drops), a repair pass that restores any reference whose copy pruning
// removed, diff-first at the end of the system prompt, and breakpoints last, on the final bytes.
import type { MessageCreateParams, MessageParam } from '@anthropic-ai/sdk/resources/messages';
import { placeBreakpoints, type CacheTtl } from './cache-control.ts';
import { capMessage, capRequestSystem } from './caps.ts';
import { dedupIndexFor, dedupMessage } from './dedup.ts';
import { appendDiffFirst } from './diff-first.ts';
import { DEFAULT_KEEP_RECENT_MESSAGES, pruneRequest } from './prune.ts';
import { repairReferences } from './references.ts';
import type { RepoMapStore } from './repo-map/store.ts';
import type { ReductionLayer, ReductionSettings } from './settings.ts';
import { resumeFrom, runLayer, type LayerMemo, type PrefixState } from './prefix-state.ts';
import { StripState, stripMessage } from './strip.ts';
import type { SummaryCache } from './summary.ts';
import { requestTokens } from './tokens.ts';

export type { ReductionLayer, ReductionSettings } from './settings.ts';
export { reductionSettingsFromEnv, settingsForProject, DEFAULT_REDUCTION_SETTINGS, NO_REDUCTION } from './settings.ts';
export type { CacheTtl } from './cache-control.ts';

export interface ReductionContext {
  settings: ReductionSettings;
  /** From the model catalog: a breakpoint on a shorter prefix caches nothing. */
  minCacheableTokens: number;
  /** Lifetime of the breakpoints the gateway places ('5m' when absent); see pacing.ts. */
  cacheTtl?: CacheTtl;
  /** Whose repo map the files seen here belong to. */
  projectId?: string;
  /** Parser memo and per-project map; without it the repo-map layer stays off. */
  repoMap?: RepoMapStore;
  /** Pinned (and optionally model-written) summaries of condensed chunks. */
  summaries?: SummaryCache;
  /** This conversation's state after its previous turn (prefix-state.ts): the layers continue from it. */
  previous?: PrefixState;
}

export interface ReductionReport {
  /** Estimated input tokens as translated. */
  tokensBefore: number;
  /** Estimated input tokens as sent. */
  tokensAfter: number;
  /** Estimated tokens each layer saved (negative when a layer adds, as diff-first and the repo map do). */
  byLayer: Partial<Record<ReductionLayer, number>>;
  /** Layers that changed the request, in pipeline order. */
  applied: ReductionLayer[];
  /** cache_control breakpoints in the request sent, the client's included. */
  breakpoints: number;
}

const LAYER_ORDER: readonly ReductionLayer[] = ['strip', 'caps', 'cacheControl', 'dedup', 'prune', 'diffFirst', 'repoMap'];

export interface ReductionResult {
  params: MessageCreateParams;
  report: ReductionReport;
  /** What the conversation's next turn can continue from. */
  state: PrefixState;
}

// The settings object is shared by every request of a gateway (or of a project): its key is made once.
const settingsKeys = new WeakMap<ReductionSettings, string>();

function settingsKeyOf(settings: ReductionSettings): string {
  let key = settingsKeys.get(settings);
  if (key === undefined) settingsKeys.set(settings, (key = JSON.stringify(settings)));
  return key;
}

export function reduceRequest(translated: MessageCreateParams, ctx: ReductionContext): ReductionResult {
  const s = ctx.settings;
  const settingsKey = settingsKeyOf(s);
  const { params, resume } = resumeFrom(translated, ctx.previous, settingsKey);
  const tokensBefore = requestTokens(params);
  const byLayer: Partial<Record<ReductionLayer, number>> = {};
  const originals = resume?.originals ?? new Map<string, string>();
  const layers: Record<string, LayerMemo<unknown>> = {};
  let current = params;
  let tokens = tokensBefore;

  const step = (layer: ReductionLayer, enabled: boolean, run: (p: MessageCreateParams) => MessageCreateParams) => {
    if (!enabled) return;
    const next = run(current);
    if (next === current) return;
    const after = requestTokens(next);
    byLayer[layer] = (byLayer[layer] ?? 0) + (tokens - after);
    current = next;
    tokens = after;
  };
  // A layer that rewrites message i from messages 0..i, continued from the previous turn's memo when it applies.
  const perMessage = <S>(layer: ReductionLayer, base: MessageCreateParams, fresh: () => S, rewrite: (m: MessageParam, state: S) => MessageParam) => {
    const { memo, changed } = runLayer(base.messages, resume?.layers[layer] as LayerMemo<S> | undefined, fresh, rewrite);
    layers[layer] = memo as LayerMemo<unknown>;
    return changed ? { ...base, messages: memo.outputs } : base;
  };

  const capsOn = s.systemMaxChars > 0 || s.userMsgMaxChars > 0 || s.toolResultMaxChars > 0;
  step('caps', capsOn, (p) => perMessage('caps', capRequestSystem(p, s), () => undefined, (m) => capMessage(m, s)));
  step('strip', s.stripIdeBoilerplate, (p) => perMessage('strip', p, () => new StripState(), (m, state) => stripMessage(m, state, originals)));
  step('dedup', s.fileHashCache, (p) => perMessage('dedup', p, () => dedupIndexFor(p), (m, index) => dedupMessage(m, index, originals)));
  if (s.contextPruning) {
    const repoMap = s.repoMap ? ctx.repoMap : undefined;
    const pruned = pruneRequest(current, { maxTokens: s.contextMaxTokens, keepRecentMessages: DEFAULT_KEEP_RECENT_MESSAGES }, {
      sourceMessages: params.messages,
      repoMap,
      summaries: ctx.summaries,
      projectId: ctx.projectId,
    });
    if (pruned.params !== current) {
      const repaired = originals.size > 0 ? repairReferences(pruned.params, originals).params : pruned.params;
      const after = requestTokens(repaired);
      byLayer.prune = tokens - after + pruned.repoMapTokens;
      if (pruned.repoMapTokens > 0) byLayer.repoMap = -pruned.repoMapTokens;
      current = repaired;
      tokens = after;
    }
  }
  step('diffFirst', s.enforceDiffFirst, appendDiffFirst);
  const tokensAfter = tokens;

  const placed = s.anthropicCacheControl
    ? placeBreakpoints(current, { minCacheableTokens: ctx.minCacheableTokens, ttl: ctx.cacheTtl ?? '5m' })
    : { ...placeBreakpoints(current, { minCacheableTokens: Number.MAX_SAFE_INTEGER, ttl: '5m' }), params: current };
  const breakpoints = placed.breakpoints;
  current = placed.params;
  if (s.anthropicCacheControl && placed.added > 0) byLayer.cacheControl = 0;

  const applied = LAYER_ORDER.filter((layer) => byLayer[layer] !== undefined);
  const fingerprint = { settings: settingsKey, system: params.system, tools: params.tools };
  const state: PrefixState = { fingerprint, messages: params.messages, layers, originals, chars: tokensBefore * 4 * 3 };
  return { params: current, report: { tokensBefore, tokensAfter, byLayer, applied, breakpoints }, state };
}
