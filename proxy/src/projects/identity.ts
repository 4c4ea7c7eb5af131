// Who is calling and which project's policy applies. Every authenticated request carries one on
// `request.identity`; the gateway and admin keys map to the 'default' project.

export type ReductionSwitch = 'strip' | 'caps' | 'cacheControl' | 'dedup' | 'prune' | 'diffFirst' | 'repoMap' | 'responseCache' | 'memory';

export const REDUCTION_SWITCHES: readonly ReductionSwitch[] = ['strip', 'caps', 'cacheControl', 'dedup', 'prune', 'diffFirst', 'repoMap', 'responseCache', 'memory'];

export interface ProjectPolicy {
  id: string;
  name: string;
  /** null = gateway default */
  rateLimitRpm: number | null;
  tokensPerMinute: number | null;
  defaultModel: string | null;
  maxTokensCap: number | null;
  /** Plugin tools this project may use (null = all enabled). */
  allowedTools: string[] | null;
  /** Per-layer switches; a layer not named follows the gateway's setting. */
  reduction: Partial<Record<ReductionSwitch, boolean>>;
  /** e.g. ['claude-opus-5-5', 'claude-sonnet-5-5']; null = the gateway's chain. */
  fallbackChain: string[] | null;
}

export interface Identity {
  /** Non-reversible key id: 'key_…' for the gateway and admin keys, the 'pk_…' id for project keys. */
  keyId: string;
  project: ProjectPolicy;
  admin: boolean;
}

export const DEFAULT_PROJECT_ID = 'default';

/** The policy of a project nobody configured: every setting follows the gateway. */
export function openPolicy(id: string, name: string): ProjectPolicy {
  return { id, name, rateLimitRpm: null, tokensPerMinute: null, defaultModel: null, maxTokensCap: null, allowedTools: null, reduction: {}, fallbackChain: null };
}
