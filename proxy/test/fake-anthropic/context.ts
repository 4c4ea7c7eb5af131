// What every route handler gets: the recorded request, the response, and the server's shared state.
import type { ServerResponse } from 'node:http';
import type { PromptCache } from './prompt-cache.ts';
import type { Rng } from './rng.ts';
import type { Sleeper } from './sleeper.ts';
import type { RecordedRequest, Responder } from './types.ts';

export interface FakeState {
  now: () => number;
  seed: number;
  /** Counts requests so each gets its own deterministic random stream. */
  sequence: number;
  cache: PromptCache;
  responder: Responder | undefined;
  sleeper: Sleeper;
  apiKey: string | undefined;
}

export interface RouteContext {
  recorded: RecordedRequest;
  res: ServerResponse;
  /** Captures of the route's path pattern. */
  params: string[];
  query: URLSearchParams;
  state: FakeState;
  requestId: string;
  rng: Rng;
  /** Whether a non-empty body failed to parse as JSON. */
  badJson: boolean;
  /** The credential presented, used to keep prompt caches apart like workspaces. */
  scope: string;
  /** The anthropic-version header, already checked to be a known version. */
  apiVersion: string;
  markServerDrop(): void;
}

export interface Route {
  method: 'GET' | 'POST' | 'DELETE';
  /** Matched against the path without its query string. */
  path: RegExp;
  handle(ctx: RouteContext): Promise<void> | void;
}
