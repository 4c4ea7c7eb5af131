// Which models exist: Anthropic's own list when reachable (through the SDK), cached, with the built-in catalog
// as the fallback so /v1/models always answers. The same probe tells /health whether the upstream is reachable.
import type Anthropic from '@anthropic-ai/sdk';
import { MODEL_CATALOG } from '../models/catalog.ts';

export interface DirectoryModel {
  id: string;
  displayName: string;
  createdAt: string;
}

export interface ModelListing {
  models: DirectoryModel[];
  source: 'upstream' | 'builtin';
}

export interface Reachability {
  reachable: boolean | null;
  checkedAt: string | null;
  latencyMs: number | null;
  error?: string;
}

export interface ModelDirectory {
  list(): Promise<ModelListing>;
  reachability(): Reachability;
}

export interface ModelDirectoryOptions {
  baseUrl: string;
  apiKey: string | undefined;
  now: () => number;
  ttlMs?: number;
  timeoutMs?: number;
}

export function builtinModels(): DirectoryModel[] {
  return MODEL_CATALOG.map((m) => ({ id: m.id, displayName: m.displayName, createdAt: m.createdAt }));
}

export function createModelDirectory(options: ModelDirectoryOptions): ModelDirectory {
  const ttlMs = options.ttlMs ?? 10 * 60_000;
  // The SDK is loaded for the first listing, not at start-up: most of a start's parse time would be its code.
  let client: Promise<Anthropic> | undefined;
  const sdkClient = () =>
    (client ??= import('@anthropic-ai/sdk').then(
      ({ default: Sdk }) => new Sdk({ apiKey: options.apiKey ?? 'missing-key', baseURL: options.baseUrl, maxRetries: 0, timeout: options.timeoutMs ?? 3_000 }),
    ));
  let cached: { listing: ModelListing; at: number } | undefined;
  let inFlight: Promise<ModelListing> | undefined;
  let state: Reachability = { reachable: null, checkedAt: null, latencyMs: null };

  async function fetchListing(): Promise<ModelListing> {
    const started = options.now();
    try {
      const models: DirectoryModel[] = [];
      for await (const info of (await sdkClient()).models.list({ limit: 100 })) {
        models.push({ id: info.id, displayName: info.display_name, createdAt: info.created_at });
      }
      state = { reachable: true, checkedAt: new Date(options.now()).toISOString(), latencyMs: options.now() - started };
      return { models, source: 'upstream' };
    } catch (error) {
      state = {
        reachable: false,
        checkedAt: new Date(options.now()).toISOString(),
        latencyMs: options.now() - started,
        error: (error as Error).message,
      };
      return { models: builtinModels(), source: 'builtin' };
    }
  }

  return {
    async list() {
      const now = options.now();
      if (cached && now - cached.at < ttlMs) return cached.listing;
      inFlight ??= fetchListing().finally(() => { inFlight = undefined; });
      const listing = await inFlight;
      // A failed fetch is retried sooner than a good listing is refreshed.
      cached = { listing, at: listing.source === 'upstream' ? now : now - ttlMs + 30_000 };
      return listing;
    },
    reachability: () => state,
  };
}
