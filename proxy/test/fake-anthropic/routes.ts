// Every endpoint the fake serves. A new endpoint family (Message Batches, say) is a new *-route.ts file
// exporting its Route[] and one more entry here.
import { batchesRoutes } from './batches-route.ts';
import type { Route } from './context.ts';
import { messagesRoutes } from './messages-route.ts';
import { modelsRoutes } from './models-route.ts';

export const ROUTES: readonly Route[] = [...messagesRoutes, ...modelsRoutes, ...batchesRoutes];

export type RouteMatch = { route: Route; params: string[] } | 'method-not-allowed' | undefined;

export function matchRoute(routes: readonly Route[], method: string, path: string): RouteMatch {
  let pathMatched = false;
  for (const route of routes) {
    const m = route.path.exec(path);
    if (!m) continue;
    if (route.method === method) return { route, params: m.slice(1) };
    pathMatched = true;
  }
  return pathMatched ? 'method-not-allowed' : undefined;
}
