// `input_transformations` on a response (with the thinking-binding beta): the thinking blocks the API removed
// before the model saw the request, or let through although they failed a check. One short note per kind.
const REASONS: Record<string, string> = {
  prefix_binding_mismatch: 'the conversation before them changed',
  model_binding_mismatch: 'produced by a model this one cannot read',
  organization_binding_mismatch: 'produced under another organization',
  end_user_binding_mismatch: 'produced for another end user',
};

export function droppedUpstreamNotes(transformations: unknown): string[] {
  if (!Array.isArray(transformations)) return [];
  const counts = new Map<string, { n: number; paths: string[] }>();
  for (const t of transformations as Array<{ type?: unknown; reason?: unknown; path?: unknown }>) {
    if (t?.type !== 'thinking_dropped' && t?.type !== 'thinking_mismatch_allowed') continue;
    const key = `${String(t.type)}\0${String(t.reason)}`;
    const entry = counts.get(key) ?? { n: 0, paths: [] };
    entry.n++;
    if (typeof t.path === 'string' && entry.paths.length < 3) entry.paths.push(t.path);
    counts.set(key, entry);
  }
  return [...counts].map(([key, { n, paths }]) => {
    const [type, reason] = key.split('\0') as [string, string];
    const why = REASONS[reason] ?? reason;
    const verb = type === 'thinking_dropped' ? 'dropped by Anthropic' : 'failed a check but were kept by Anthropic';
    return `${n} thinking block(s) ${verb} (${why}) at ${paths.join(', ')}`;
  });
}

/** The thinking entries of `input_transformations`, each as type, reason and path, for the request record. */
export function droppedUpstreamBlocks(transformations: unknown): Array<{ type: string; reason: string; path: string | null }> {
  if (!Array.isArray(transformations)) return [];
  return (transformations as Array<{ type?: unknown; reason?: unknown; path?: unknown }>)
    .filter((t) => t?.type === 'thinking_dropped' || t?.type === 'thinking_mismatch_allowed')
    .map((t) => ({ type: String(t.type), reason: String(t.reason), path: typeof t.path === 'string' ? t.path : null }));
}
