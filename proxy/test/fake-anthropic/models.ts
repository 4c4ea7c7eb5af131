// The models the fake knows, with the per-model rules that shape validation and caching.
//
// Sources (platform.claude.com): the per-model overview pages ("Claude Opus 5", "Claude Fable 5",
// "Claude Haiku 5.5", "Claude Sonnet 5", ...) for context windows, output limits and thinking modes;
// "Prompt caching" > "Cache limitations" for the minimum cacheable prompt lengths; "What's new in
// Claude Opus 5" for thinking on by default and disabled-thinking limits; the migration guides for the
// removal of sampling parameters (Opus 4.7 on) and of prefill (4.6 on); "Prompt caching" notes on
// mid-conversation system messages. Values marked "assumed" were not stated anywhere we could read.
import type { ModelCapabilities, ModelInfo, ModelLine } from '@anthropic-ai/sdk/resources/models';

/** How a model treats temperature / top_p / top_k. */
export type SamplingRule =
  /** 4.5 and 4.6 generation: each alone is fine, temperature together with top_p is refused. */
  | 'exclusive'
  /** Opus 4.7 and everything after it: any sampling parameter is refused. */
  | 'deprecated';

export interface ThinkingSupport {
  /** `{type: "enabled", budget_tokens}` (manual extended thinking). */
  enabled: boolean;
  adaptive: boolean;
  disabled: boolean;
  /** Whether a request without `thinking` thinks anyway. */
  onByDefault: boolean;
  /** What `display` defaults to: newer models return thinking blocks with empty text unless asked. */
  defaultDisplay: 'summarized' | 'omitted';
}

export interface FakeModel {
  id: string;
  /** Other names accepted in requests (an undated alias of a dated snapshot). */
  aliases: string[];
  displayName: string;
  createdAt: string;
  line: ModelLine;
  lifecycle: 'active' | 'deprecated';
  maxOutput: number;
  contextWindow: number;
  minCacheTokens: number;
  sampling: SamplingRule;
  thinking: ThinkingSupport;
  /** Whether a request may end with an assistant turn to continue. */
  prefill: boolean;
  /** Whether `{"role": "system"}` entries are accepted inside `messages`. */
  systemMessages: boolean;
  /** Whether disabling thinking is refused at effort xhigh/max (Claude Opus 5). */
  disabledNeedsLowEffort: boolean;
}

const K = 1024;
const ALWAYS_ON: ThinkingSupport = { enabled: false, adaptive: true, disabled: false, onByDefault: true, defaultDisplay: 'omitted' };
const ON_BY_DEFAULT: ThinkingSupport = { enabled: false, adaptive: true, disabled: true, onByDefault: true, defaultDisplay: 'omitted' };
const ADAPTIVE_OPT_IN: ThinkingSupport = { enabled: false, adaptive: true, disabled: true, onByDefault: false, defaultDisplay: 'omitted' };
const BOTH_OPT_IN: ThinkingSupport = { enabled: true, adaptive: true, disabled: true, onByDefault: false, defaultDisplay: 'summarized' };
const BUDGET_ONLY: ThinkingSupport = { enabled: true, adaptive: false, disabled: true, onByDefault: false, defaultDisplay: 'summarized' };

function model(m: Omit<FakeModel, 'aliases' | 'lifecycle' | 'disabledNeedsLowEffort'> & Partial<FakeModel>): FakeModel {
  return { aliases: [], lifecycle: 'active', disabledNeedsLowEffort: false, ...m };
}

const CURRENT = { maxOutput: 128_000, contextWindow: 1_000_000, sampling: 'deprecated' as const, prefill: false, systemMessages: true };

export const MODELS: readonly FakeModel[] = [
  // Release date per third-party listings; cache minimum assumed equal to Fable 5's.
  model({ id: 'claude-fable-5-2', displayName: 'Claude Fable 5.2', createdAt: '2026-11-09T00:00:00Z', line: 'fable', ...CURRENT, minCacheTokens: 512, thinking: ALWAYS_ON }),
  model({ id: 'claude-mythos-5-2', displayName: 'Claude Mythos 5.2', createdAt: '2026-11-09T00:00:00Z', line: 'mythos', ...CURRENT, minCacheTokens: 512, thinking: ALWAYS_ON }),
  // Cache minimum assumed.
  model({ id: 'claude-haiku-5-5', displayName: 'Claude Haiku 5.5', createdAt: '2026-10-07T00:00:00Z', line: 'haiku', ...CURRENT, minCacheTokens: K, thinking: ON_BY_DEFAULT }),
  // Release date and cache minimum assumed.
  model({ id: 'claude-sonnet-5-5', displayName: 'Claude Sonnet 5.5', createdAt: '2026-10-01T00:00:00Z', line: 'sonnet', ...CURRENT, minCacheTokens: K, thinking: ON_BY_DEFAULT }),
  model({ id: 'claude-fable-5-1', displayName: 'Claude Fable 5.1', createdAt: '2026-09-29T00:00:00Z', line: 'fable', ...CURRENT, minCacheTokens: 512, thinking: ALWAYS_ON }),
  model({ id: 'claude-mythos-5-1', displayName: 'Claude Mythos 5.1', createdAt: '2026-09-29T00:00:00Z', line: 'mythos', ...CURRENT, minCacheTokens: 512, thinking: ALWAYS_ON }),
  model({ id: 'claude-opus-5-5', displayName: 'Claude Opus 5.5', createdAt: '2026-09-22T00:00:00Z', line: 'opus', ...CURRENT, minCacheTokens: 512, thinking: ALWAYS_ON }),
  model({ id: 'claude-opus-5', displayName: 'Claude Opus 5', createdAt: '2026-07-24T00:00:00Z', line: 'opus', ...CURRENT, minCacheTokens: 512, thinking: ON_BY_DEFAULT, disabledNeedsLowEffort: true }),
  model({ id: 'claude-sonnet-5', displayName: 'Claude Sonnet 5', createdAt: '2026-06-30T00:00:00Z', line: 'sonnet', ...CURRENT, minCacheTokens: K, thinking: ON_BY_DEFAULT }),
  model({ id: 'claude-fable-5', displayName: 'Claude Fable 5', createdAt: '2026-06-09T00:00:00Z', line: 'fable', ...CURRENT, minCacheTokens: 512, thinking: ALWAYS_ON }),
  model({ id: 'claude-mythos-5', displayName: 'Claude Mythos 5', createdAt: '2026-06-09T00:00:00Z', line: 'mythos', ...CURRENT, minCacheTokens: 512, thinking: ALWAYS_ON }),
  // Release date assumed.
  model({ id: 'claude-opus-4-8', displayName: 'Claude Opus 4.8', createdAt: '2026-05-28T00:00:00Z', line: 'opus', ...CURRENT, minCacheTokens: K, thinking: ADAPTIVE_OPT_IN }),
  model({ id: 'claude-opus-4-7', displayName: 'Claude Opus 4.7', createdAt: '2026-04-16T00:00:00Z', line: 'opus', ...CURRENT, systemMessages: false, minCacheTokens: 2 * K, thinking: ADAPTIVE_OPT_IN }),
  model({ id: 'claude-mythos-preview', displayName: 'Claude Mythos Preview', createdAt: '2026-04-07T00:00:00Z', line: 'mythos', ...CURRENT, systemMessages: false, minCacheTokens: 2 * K, thinking: ADAPTIVE_OPT_IN }),
  model({ id: 'claude-opus-4-6', displayName: 'Claude Opus 4.6', createdAt: '2026-02-04T00:00:00Z', line: 'opus', maxOutput: 128_000, contextWindow: 1_000_000, sampling: 'exclusive', prefill: false, systemMessages: false, minCacheTokens: 4 * K, thinking: BOTH_OPT_IN }),
  model({ id: 'claude-sonnet-4-6', displayName: 'Claude Sonnet 4.6', createdAt: '2026-02-17T00:00:00Z', line: 'sonnet', maxOutput: 64_000, contextWindow: 1_000_000, sampling: 'exclusive', prefill: false, systemMessages: false, minCacheTokens: K, thinking: BOTH_OPT_IN }),
  model({ id: 'claude-opus-4-5-20251101', aliases: ['claude-opus-4-5'], displayName: 'Claude Opus 4.5', createdAt: '2025-11-24T00:00:00Z', line: 'opus', maxOutput: 64_000, contextWindow: 200_000, sampling: 'exclusive', prefill: true, systemMessages: false, minCacheTokens: 4 * K, thinking: BUDGET_ONLY }),
  model({ id: 'claude-haiku-4-5-20251001', aliases: ['claude-haiku-4-5'], displayName: 'Claude Haiku 4.5', createdAt: '2025-10-15T00:00:00Z', line: 'haiku', maxOutput: 64_000, contextWindow: 200_000, sampling: 'exclusive', prefill: true, systemMessages: false, minCacheTokens: 4 * K, thinking: BUDGET_ONLY }),
  model({ id: 'claude-sonnet-4-5-20250929', aliases: ['claude-sonnet-4-5'], displayName: 'Claude Sonnet 4.5', createdAt: '2025-09-29T00:00:00Z', line: 'sonnet', lifecycle: 'deprecated', maxOutput: 64_000, contextWindow: 200_000, sampling: 'exclusive', prefill: true, systemMessages: false, minCacheTokens: K, thinking: BUDGET_ONLY }),
];

const BY_NAME = new Map<string, FakeModel>();
for (const m of MODELS) {
  BY_NAME.set(m.id, m);
  for (const alias of m.aliases) BY_NAME.set(alias, m);
}

/** Resolves an id or alias; undefined for names the API would answer with 404. */
export function findModel(name: string): FakeModel | undefined {
  return BY_NAME.get(name);
}

/** Newest first, as the Models API lists them. */
export const MODELS_NEWEST_FIRST: readonly FakeModel[] = [...MODELS].sort((a, b) =>
  a.createdAt === b.createdAt ? 0 : a.createdAt < b.createdAt ? 1 : -1,
);

const yes = { supported: true };
const no = { supported: false };
const flag = (value: boolean) => (value ? yes : no);

function capabilities(m: FakeModel): ModelCapabilities {
  const hasEffort = m.line !== 'haiku' || m.id === 'claude-haiku-5-5';
  const modern = m.sampling === 'deprecated';
  return {
    batch: yes,
    citations: yes,
    code_execution: yes,
    context_management: { clear_thinking_20251015: yes, clear_tool_uses_20250919: yes, compact_20260112: flag(modern), supported: true },
    effort: { high: flag(hasEffort), low: flag(hasEffort), max: flag(hasEffort), medium: flag(hasEffort), supported: hasEffort, xhigh: flag(modern) },
    image_input: yes,
    pdf_input: yes,
    server_tools: { code_execution: yes, supported: true, web_search: yes },
    structured_outputs: yes,
    thinking: {
      supported: true,
      types: {
        adaptive: flag(m.thinking.adaptive),
        between_tools: no,
        disabled: flag(m.thinking.disabled),
        enabled: flag(m.thinking.enabled),
      },
    },
  };
}

export function modelInfo(m: FakeModel): ModelInfo {
  return {
    type: 'model',
    id: m.id,
    display_name: m.displayName,
    created_at: m.createdAt,
    capabilities: capabilities(m),
    deprecated_at: m.lifecycle === 'deprecated' ? '2026-08-01T00:00:00Z' : null,
    lifecycle: m.lifecycle,
    line: m.line,
    max_input_tokens: m.contextWindow,
    max_tokens: m.maxOutput,
    retires_at: m.lifecycle === 'deprecated' ? '2026-11-30T00:00:00Z' : null,
  };
}
