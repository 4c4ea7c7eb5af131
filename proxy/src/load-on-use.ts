// Packages only some configurations need (the Redis and Postgres clients, sqlite-vec, the tree-sitter grammars)
// are loaded the first time they are used instead of at start-up, which keeps a default gateway quick to start
// and small at rest. Synchronous on purpose: their callers build clients synchronously. The build leaves these
// packages outside the bundle, so they resolve from node_modules beside it.
import { createRequire } from 'node:module';

const requireFromHere = createRequire(import.meta.url);
const loaded = new Map<string, unknown>();

export function loadOnUse<T>(name: string): T {
  if (!loaded.has(name)) loaded.set(name, requireFromHere(name));
  return loaded.get(name) as T;
}
