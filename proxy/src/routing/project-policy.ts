// The parts of a caller's project policy that routing and reliability read. A request carries the policy on
// `request.identity.project` when project keys are in use; without it the gateway-wide defaults apply under the
// project id 'default'. Read defensively: a missing or partial policy means "use the defaults".

export interface ProjectRouting {
  id: string;
  defaultModel: string | null;
  fallbackChain: string[] | null;
  rateLimitRpm: number | null;
  tokensPerMinute: number | null;
}

export const DEFAULT_PROJECT_ID = 'default';

const stringOrNull = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value : null);
const countOrNull = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null);

/** The routing view of whatever policy hangs on the request (typed loosely on purpose: it may be absent). */
export function projectRoutingOf(request: unknown): ProjectRouting {
  const identity = (request as { identity?: unknown } | null)?.identity;
  const project = identity && typeof identity === 'object' ? (identity as { project?: unknown }).project : undefined;
  const p = project && typeof project === 'object' ? (project as Record<string, unknown>) : {};
  const chain = Array.isArray(p.fallbackChain) ? p.fallbackChain.filter((m): m is string => typeof m === 'string' && m.trim() !== '') : null;
  return {
    id: stringOrNull(p.id) ?? DEFAULT_PROJECT_ID,
    defaultModel: stringOrNull(p.defaultModel),
    fallbackChain: chain,
    rateLimitRpm: countOrNull(p.rateLimitRpm),
    tokensPerMinute: countOrNull(p.tokensPerMinute),
  };
}
