// What each Claude model accepts, so a request can be fitted to it instead of failing upstream.
// Sources: the SDK's `Model` list and platform.claude.com model pages, migration guides and the prompt-caching,
// structured-outputs, thinking and effort pages (state of 2026-11). Values marked "unverified" were not stated
// for that model; they take the choice that cannot make a request fail.
import { baseModelId, parseModelId, type ParsedModelId } from './model-id.ts';

export type ModelFamily = 'opus' | 'sonnet' | 'haiku' | 'fable' | 'mythos' | 'other';
export type EffortLevel = 'low' | 'medium' | 'high' | 'xhigh' | 'max';

export interface ModelCapabilities {
  id: string;
  family: ModelFamily;
  displayName: string;
  /** ISO date of release (for /v1/models `created`). */
  createdAt: string;
  contextWindow: number;
  maxOutputTokens: number;
  /** Sent when the client gives no max_tokens (Anthropic requires one). */
  defaultMaxTokens: number;
  /** full: temperature, top_p, top_k; exclusive: temperature or top_p, not both; none: any sampling parameter is rejected. */
  sampling: 'full' | 'exclusive' | 'none';
  /**
   * none: no thinking. budget: `{type:'enabled', budget_tokens}` only. adaptive: adaptive or a budget.
   * adaptive-only: adaptive or disabled, a budget is rejected. always-on: adaptive, `disabled` is rejected
   * and so is forcing a tool (any/tool choice needs thinking off).
   */
  thinking: 'none' | 'budget' | 'adaptive' | 'adaptive-only' | 'always-on';
  /** Accepts `output_config.effort`. */
  effort: boolean;
  /** The effort values it accepts, lowest first; absent means low, medium and high. */
  effortLevels?: readonly EffortLevel[];
  /** Accepts `output_config.format` with a JSON schema. */
  structuredOutputs: boolean;
  /** Below this many prefix tokens a cache breakpoint caches nothing. */
  minCacheableTokens: number;
  pdf: boolean;
  /**
   * Runs the prefix check on thinking blocks sent back ("preserved thinking"): a block whose system, tools or
   * earlier messages changed since it was produced fails the request unless `drop_block` is set. Source: the
   * supportedModels of Anthropic's "Prefix checks on thinking blocks" page (2026-12).
   */
  preservedThinking: boolean;
  /**
   * Accepts `role: "system"` messages inside `messages` right after a user turn (mid-conversation system
   * messages): Opus 4.8 and later on the Claude API. Sources: "What's new in Claude Opus 4.8" and the
   * "Mid-conversation system messages" page (earlier models reject the role).
   */
  systemMessages: boolean;
}

const ALL_EFFORTS: readonly EffortLevel[] = ['low', 'medium', 'high', 'xhigh', 'max'];
const NO_XHIGH: readonly EffortLevel[] = ['low', 'medium', 'high', 'max'];

type Entry = Omit<ModelCapabilities, 'defaultMaxTokens' | 'pdf' | 'preservedThinking' | 'systemMessages'> & {
  pdf?: boolean;
  preservedThinking?: boolean;
  systemMessages?: boolean;
};

// Generous enough for agent turns, small enough not to reserve a model's whole output window on every call.
const DEFAULT_MAX_TOKENS_CAP = 32_000;

function model(entry: Entry): ModelCapabilities {
  return {
    ...entry,
    defaultMaxTokens: Math.min(entry.maxOutputTokens, DEFAULT_MAX_TOKENS_CAP),
    pdf: entry.pdf ?? true, // every current Claude model reads PDFs
    preservedThinking: entry.preservedThinking ?? false,
    systemMessages: entry.systemMessages ?? false,
  };
}

// The 5.x generation: 1M context, 128K output, no sampling parameters, all five effort levels.
function fifthGen(
  entry: Pick<Entry, 'id' | 'family' | 'displayName' | 'createdAt' | 'thinking' | 'minCacheableTokens' | 'preservedThinking' | 'systemMessages'>,
): ModelCapabilities {
  return model({
    systemMessages: true,
    contextWindow: 1_000_000,
    maxOutputTokens: 128_000,
    sampling: 'none',
    effort: true,
    effortLevels: ALL_EFFORTS,
    structuredOutputs: true,
    ...entry,
  });
}

export const MODEL_CATALOG: readonly ModelCapabilities[] = [
  // Fable/Mythos 5.2 (2026-11-09): thinking always on. Cache minimum unverified; the 5.x value is used.
  fifthGen({ id: 'claude-fable-5-2', family: 'fable', displayName: 'Claude Fable 5.2', createdAt: '2026-11-09', thinking: 'always-on', minCacheableTokens: 512, preservedThinking: true }),
  fifthGen({ id: 'claude-mythos-5-2', family: 'mythos', displayName: 'Claude Mythos 5.2', createdAt: '2026-11-09', thinking: 'always-on', minCacheableTokens: 512, preservedThinking: true }),
  fifthGen({ id: 'claude-haiku-5-5', family: 'haiku', displayName: 'Claude Haiku 5.5', createdAt: '2026-10-07', thinking: 'adaptive-only', minCacheableTokens: 512, preservedThinking: true }),
  // Sonnet 5.5 rejects `disabled` (its lowest setting is `between_tools`) and forced tool use: always-on for our purposes.
  fifthGen({ id: 'claude-sonnet-5-5', family: 'sonnet', displayName: 'Claude Sonnet 5.5', createdAt: '2026-09-28', thinking: 'always-on', minCacheableTokens: 512, preservedThinking: true }),
  // Opus 5.5 and Fable/Mythos 5.1: thinking cannot be disabled, forced tool use is an error. Cache minimum unverified.
  fifthGen({ id: 'claude-opus-5-5', family: 'opus', displayName: 'Claude Opus 5.5', createdAt: '2026-09-22', thinking: 'always-on', minCacheableTokens: 512, preservedThinking: true }),
  fifthGen({ id: 'claude-fable-5-1', family: 'fable', displayName: 'Claude Fable 5.1', createdAt: '2026-09-01', thinking: 'always-on', minCacheableTokens: 512, preservedThinking: true }),
  fifthGen({ id: 'claude-mythos-5-1', family: 'mythos', displayName: 'Claude Mythos 5.1', createdAt: '2026-09-01', thinking: 'always-on', minCacheableTokens: 512, preservedThinking: true }),
  fifthGen({ id: 'claude-opus-5', family: 'opus', displayName: 'Claude Opus 5', createdAt: '2026-07-24', thinking: 'adaptive-only', minCacheableTokens: 512 }),
  fifthGen({ id: 'claude-sonnet-5', family: 'sonnet', displayName: 'Claude Sonnet 5', createdAt: '2026-06-30', thinking: 'adaptive-only', minCacheableTokens: 1024 }),
  fifthGen({ id: 'claude-fable-5', family: 'fable', displayName: 'Claude Fable 5', createdAt: '2026-06-09', thinking: 'always-on', minCacheableTokens: 512 }),
  fifthGen({ id: 'claude-mythos-5', family: 'mythos', displayName: 'Claude Mythos 5', createdAt: '2026-06-09', thinking: 'always-on', minCacheableTokens: 512 }),
  // Opus 4.7 and 4.8: sampling parameters removed, adaptive thinking only, xhigh effort introduced.
  fifthGen({ id: 'claude-opus-4-8', family: 'opus', displayName: 'Claude Opus 4.8', createdAt: '2026-05-28', thinking: 'adaptive-only', minCacheableTokens: 1024 }),
  fifthGen({ id: 'claude-opus-4-7', family: 'opus', displayName: 'Claude Opus 4.7', createdAt: '2026-04-16', thinking: 'adaptive-only', minCacheableTokens: 2048, systemMessages: false }),
  // Invitation-only research preview: release date, limits and cache minimum unverified, so the smaller
  // pre-5.x limits and the strictest thinking class are used.
  model({
    id: 'claude-mythos-preview', family: 'mythos', displayName: 'Claude Mythos Preview', createdAt: '2026-04-07',
    contextWindow: 200_000, maxOutputTokens: 64_000, sampling: 'none', thinking: 'always-on',
    effort: true, effortLevels: ALL_EFFORTS, structuredOutputs: true, minCacheableTokens: 4096,
  }),
  // 4.6: adaptive thinking introduced (budgets still accepted), effort without xhigh, no prefill.
  model({
    id: 'claude-opus-4-6', family: 'opus', displayName: 'Claude Opus 4.6', createdAt: '2026-02-05',
    contextWindow: 1_000_000, maxOutputTokens: 128_000, sampling: 'exclusive', thinking: 'adaptive',
    effort: true, effortLevels: NO_XHIGH, structuredOutputs: true, minCacheableTokens: 4096,
  }),
  model({
    id: 'claude-sonnet-4-6', family: 'sonnet', displayName: 'Claude Sonnet 4.6', createdAt: '2026-02-17',
    contextWindow: 1_000_000, maxOutputTokens: 128_000, sampling: 'exclusive', thinking: 'adaptive',
    effort: true, effortLevels: NO_XHIGH, structuredOutputs: true, minCacheableTokens: 1024,
  }),
  // 4.5 and 4.1: temperature and top_p may not be combined; thinking by budget only.
  // Opus 4.5 had effort only behind a beta header, so it is not sent (unverified as GA).
  model({
    id: 'claude-opus-4-5', family: 'opus', displayName: 'Claude Opus 4.5', createdAt: '2025-11-24',
    contextWindow: 200_000, maxOutputTokens: 64_000, sampling: 'exclusive', thinking: 'budget',
    effort: false, structuredOutputs: true, minCacheableTokens: 4096,
  }),
  model({
    id: 'claude-haiku-4-5', family: 'haiku', displayName: 'Claude Haiku 4.5', createdAt: '2025-10-15',
    contextWindow: 200_000, maxOutputTokens: 64_000, sampling: 'exclusive', thinking: 'budget',
    effort: false, structuredOutputs: true, minCacheableTokens: 4096,
  }),
  model({
    id: 'claude-sonnet-4-5', family: 'sonnet', displayName: 'Claude Sonnet 4.5', createdAt: '2025-09-29',
    contextWindow: 200_000, maxOutputTokens: 64_000, sampling: 'exclusive', thinking: 'budget',
    effort: false, structuredOutputs: true, minCacheableTokens: 1024,
  }),
  // Structured outputs are documented as GA for 4.5 and later only.
  model({
    id: 'claude-opus-4-1', family: 'opus', displayName: 'Claude Opus 4.1', createdAt: '2025-08-05',
    contextWindow: 200_000, maxOutputTokens: 32_000, sampling: 'exclusive', thinking: 'budget',
    effort: false, structuredOutputs: false, minCacheableTokens: 1024,
  }),
];

const BY_ID = new Map(MODEL_CATALOG.map((m) => [m.id, m]));

/** The table entry for an id, its dated snapshot, or a platform/prefixed spelling of it. */
// Every request asks about its model: the parsed answer is kept per id (few distinct ids exist).
const FIND_MEMO = new Map<string, ModelCapabilities | null>();
const CAPABILITIES_MEMO = new Map<string, ModelCapabilities>();

export function findModel(id: string): ModelCapabilities | undefined {
  if (typeof id !== 'string') return undefined;
  const memo = FIND_MEMO.get(id);
  if (memo !== undefined) return memo ?? undefined;
  const found = BY_ID.get(baseModelId(id));
  if (FIND_MEMO.size >= 1000) FIND_MEMO.clear();
  FIND_MEMO.set(id, found ?? null);
  return found;
}

/** The table entry, or for an id the table does not know a conservative guess from its family and version. */
export function capabilitiesFor(id: string): ModelCapabilities {
  const known = CAPABILITIES_MEMO.get(id);
  if (known) return known;
  const found = findModel(id) ?? guessCapabilities(id);
  if (CAPABILITIES_MEMO.size >= 1000) CAPABILITIES_MEMO.clear();
  CAPABILITIES_MEMO.set(id, found);
  return found;
}

function versionOf(parsed: ParsedModelId): number | undefined {
  return parsed.major === undefined ? undefined : parsed.major * 100 + parsed.minor;
}

function guessCapabilities(id: string): ModelCapabilities {
  const parsed = parseModelId(id);
  const canonical = parsed.base;
  const version = versionOf(parsed);
  const family = parsed.family;
  if (family) {
    const known = MODEL_CATALOG.filter((m) => m.family === family)
      .map((m) => ({ m, v: versionOf(parseModelId(m.id)) ?? 0 }))
      .sort((a, b) => b.v - a.v);
    // A newer (or in-between) version inherits from the closest known one at or below it; a model without
    // a version from the newest of its family. Newer models only ever tightened what they accept.
    const template = version === undefined ? known[0] : known.find((k) => k.v <= version);
    if (template) return { ...template.m, id: canonical, displayName: displayNameFor(parsed, canonical) };
    if (version !== undefined) return legacyCapabilities(canonical, family, version, displayNameFor(parsed, canonical));
  }
  return unknownCapabilities(canonical);
}

// Older than the table (Claude 3.x, 4.0): extended thinking from 3.7 on, smaller output limits.
function legacyCapabilities(id: string, family: ModelFamily, version: number, displayName: string): ModelCapabilities {
  return model({
    id, family, displayName, createdAt: '2025-01-01',
    contextWindow: 200_000,
    maxOutputTokens: version >= 307 ? 32_000 : 8_192,
    sampling: 'exclusive', // whether these accept both together is unverified; one is always safe
    thinking: version >= 307 ? 'budget' : 'none',
    effort: false, structuredOutputs: false,
    minCacheableTokens: family === 'haiku' ? 2048 : 1024,
  });
}

// Not recognisably a Claude model: send nothing that needs a capability.
function unknownCapabilities(id: string): ModelCapabilities {
  return model({
    id, family: 'other', displayName: id, createdAt: '2025-01-01',
    contextWindow: 200_000, maxOutputTokens: 32_000,
    sampling: 'none', thinking: 'none', effort: false, structuredOutputs: false, minCacheableTokens: 1024,
  });
}

function displayNameFor(parsed: ParsedModelId, fallback: string): string {
  if (!parsed.family || parsed.major === undefined) return fallback;
  const family = parsed.family[0]!.toUpperCase() + parsed.family.slice(1);
  return `Claude ${family} ${parsed.minor ? `${parsed.major}.${parsed.minor}` : parsed.major}`;
}
