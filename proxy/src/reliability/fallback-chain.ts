// Which models a request may fall back to: those after its model in the chain (the project's own chain when it
// has one, else FALLBACK_CHAIN). Names in the chain may be aliases; they are resolved first. Pure.

/**
 * The models to try in order: `model` itself, then every distinct model after it in the chain. A model that is
 * not in the chain has no fallbacks.
 */
export function modelsToTry(model: string, chain: readonly string[], resolve: (name: string) => string | undefined): string[] {
  const resolved: string[] = [];
  for (const name of chain) {
    const id = resolve(name);
    if (id !== undefined && !resolved.includes(id)) resolved.push(id);
  }
  const at = resolved.indexOf(model);
  if (at === -1) return [model];
  return [model, ...resolved.slice(at + 1)];
}
