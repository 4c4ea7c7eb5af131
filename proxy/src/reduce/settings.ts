// Reduction settings: every flag read from the environment at start (a bad value stops the gateway naming
// the variable), then narrowed per project by the project's reduction switches.
import { ConfigError, EnvReader, type Env } from '../config/env-readers.ts';

export type ReductionLayer = 'strip' | 'caps' | 'cacheControl' | 'dedup' | 'prune' | 'diffFirst' | 'repoMap';
export type PromptCacheTtlPolicy = 'auto' | '5m' | '1h';

export interface ReductionSettings {
  /** STRIP_IDE_BOILERPLATE */
  stripIdeBoilerplate: boolean;
  /** SYSTEM_MAX_CHARS (0 = no cap) */
  systemMaxChars: number;
  /** USER_MSG_MAX_CHARS (0 = no cap, the default: what a user sends is never cut unless the operator asks) */
  userMsgMaxChars: number;
  /** TOOL_RESULT_MAX_CHARS (0 = no cap) */
  toolResultMaxChars: number;
  /** ENABLE_ANTHROPIC_CACHE_CONTROL */
  anthropicCacheControl: boolean;
  /** PROMPT_CACHE_TTL: auto picks 1h for conversations paced slower than the 5-minute lifetime. */
  promptCacheTtl: PromptCacheTtlPolicy;
  /** ENABLE_FILE_HASH_CACHE */
  fileHashCache: boolean;
  /** FILE_HASH_CACHE_TTL, seconds: lifetime of the gateway's memo of seen files (memory only, never the bytes sent). */
  fileHashCacheTtlSeconds: number;
  /** ENABLE_CONTEXT_PRUNING */
  contextPruning: boolean;
  /** CONTEXT_MAX_TOKENS */
  contextMaxTokens: number;
  /** ENFORCE_DIFF_FIRST */
  enforceDiffFirst: boolean;
  /** ENABLE_REPO_MAP */
  repoMap: boolean;
}

export const DEFAULT_REDUCTION_SETTINGS: Readonly<ReductionSettings> = Object.freeze({
  stripIdeBoilerplate: true,
  systemMaxChars: 120_000,
  userMsgMaxChars: 0,
  toolResultMaxChars: 60_000,
  anthropicCacheControl: true,
  promptCacheTtl: 'auto',
  fileHashCache: true,
  fileHashCacheTtlSeconds: 3600,
  contextPruning: true,
  contextMaxTokens: 120_000,
  enforceDiffFirst: true,
  repoMap: true,
});

/** Reads the reduction flags; throws a ConfigError naming every bad variable. */
export function reductionSettingsFromEnv(env: Env): ReductionSettings {
  const read = new EnvReader(env);
  const d = DEFAULT_REDUCTION_SETTINGS;
  const settings: ReductionSettings = {
    stripIdeBoilerplate: read.bool('STRIP_IDE_BOILERPLATE', d.stripIdeBoilerplate),
    systemMaxChars: read.int('SYSTEM_MAX_CHARS', d.systemMaxChars, { min: 0 }),
    userMsgMaxChars: read.int('USER_MSG_MAX_CHARS', d.userMsgMaxChars, { min: 0 }),
    toolResultMaxChars: read.int('TOOL_RESULT_MAX_CHARS', d.toolResultMaxChars, { min: 0 }),
    anthropicCacheControl: read.bool('ENABLE_ANTHROPIC_CACHE_CONTROL', d.anthropicCacheControl),
    promptCacheTtl: read.oneOf('PROMPT_CACHE_TTL', ['auto', '5m', '1h'] as const, d.promptCacheTtl),
    fileHashCache: read.bool('ENABLE_FILE_HASH_CACHE', d.fileHashCache),
    fileHashCacheTtlSeconds: read.int('FILE_HASH_CACHE_TTL', d.fileHashCacheTtlSeconds, { min: 1 }),
    contextPruning: read.bool('ENABLE_CONTEXT_PRUNING', d.contextPruning),
    contextMaxTokens: read.int('CONTEXT_MAX_TOKENS', d.contextMaxTokens, { min: 2000 }),
    enforceDiffFirst: read.bool('ENFORCE_DIFF_FIRST', d.enforceDiffFirst),
    repoMap: read.bool('ENABLE_REPO_MAP', d.repoMap),
  };
  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return settings;
}

// A project's switches object lives as long as its cached policy, and is never changed in place (an edit makes a
// new policy): the narrowed settings are kept per switches object, so every request of a project shares one
// settings object and with it the keys made from it.
const narrowedBySwitches = new WeakMap<object, { settings: ReductionSettings; narrowed: ReductionSettings }>();

/** A project's switches (ProjectPolicy.reduction) narrow the gateway's settings; absent means as configured. */
export function settingsForProject(settings: ReductionSettings, switches: Partial<Record<string, boolean>> | undefined): ReductionSettings {
  if (!switches) return settings;
  const known = narrowedBySwitches.get(switches);
  if (known?.settings === settings) return known.narrowed;
  const narrowed = narrow(settings, switches);
  narrowedBySwitches.set(switches, { settings, narrowed });
  return narrowed;
}

function narrow(settings: ReductionSettings, switches: Partial<Record<string, boolean>>): ReductionSettings {
  const on = (layer: ReductionLayer, current: boolean) => current && switches[layer] !== false;
  const caps = switches.caps !== false;
  return {
    ...settings,
    stripIdeBoilerplate: on('strip', settings.stripIdeBoilerplate),
    systemMaxChars: caps ? settings.systemMaxChars : 0,
    userMsgMaxChars: caps ? settings.userMsgMaxChars : 0,
    toolResultMaxChars: caps ? settings.toolResultMaxChars : 0,
    anthropicCacheControl: on('cacheControl', settings.anthropicCacheControl),
    fileHashCache: on('dedup', settings.fileHashCache),
    contextPruning: on('prune', settings.contextPruning),
    enforceDiffFirst: on('diffFirst', settings.enforceDiffFirst),
    repoMap: on('repoMap', settings.repoMap),
  };
}

/** Everything off: the request goes upstream as translated. */
export const NO_REDUCTION: Readonly<ReductionSettings> = Object.freeze({
  ...DEFAULT_REDUCTION_SETTINGS,
  stripIdeBoilerplate: false,
  systemMaxChars: 0,
  userMsgMaxChars: 0,
  toolResultMaxChars: 0,
  anthropicCacheControl: false,
  fileHashCache: false,
  contextPruning: false,
  enforceDiffFirst: false,
  repoMap: false,
});
