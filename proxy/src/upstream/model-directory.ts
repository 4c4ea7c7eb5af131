// Which models exist: Anthropic's own list when reachable (GET /v1/models, every page), cached, with the
// built-in catalog as the fallback so /v1/models always answers. The same probe tells /health whether the
// upstream is reachable. One small keep-alive pool of its own, so the first /health needs no SDK to be loaded.
import { Pool } from 'undici';
import { MODEL_CATALOG } from '../models/catalog.ts';
import { ANTHROPIC_VERSION } from './anthropic-http.ts';

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
  /** Closes the listing's connection (when it has one). */
  close?(): Promise<void>;
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
  const lister = modelLister(options);
  let cached: { listing: ModelListing; at: number } | undefined;
  let inFlight: Promise<ModelListing> | undefined;
  let state: Reachability = { reachable: null, checkedAt: null, latencyMs: null };

  async function fetchListing(): Promise<ModelListing> {
    const started = options.now();
    try {
      const models = await lister.list();
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
    close: () => lister.close(),
  };
}

interface ModelPage {
  data?: Array<{ id: string; display_name: string; created_at: string }>;
  has_more?: boolean;
  last_id?: string | null;
}

/** Anthropic's model list, page by page (at most 20 pages of 100). */
function modelLister(options: ModelDirectoryOptions): { list(): Promise<DirectoryModel[]>; close(): Promise<void> } {
  const origin = new URL(options.baseUrl);
  const basePath = origin.pathname.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 3_000;
  let pool: Pool | undefined;
  const headers: Record<string, string> = { 'anthropic-version': ANTHROPIC_VERSION, accept: 'application/json' };
  if (options.apiKey) headers['x-api-key'] = options.apiKey;

  const list = async () => {
    pool ??= new Pool(origin.origin, { connections: 1, keepAliveTimeout: 10_000, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
    const models: DirectoryModel[] = [];
    let after: string | undefined;
    for (let page = 0; page < 20; page++) {
      const query = `limit=100${after ? `&after_id=${encodeURIComponent(after)}` : ''}`;
      const response = await pool.request({ method: 'GET', path: `${basePath}/v1/models?${query}`, headers, signal: AbortSignal.timeout(timeoutMs) });
      const text = await response.body.text();
      if (response.statusCode !== 200) throw new Error(`Anthropic answered ${response.statusCode} to GET /v1/models`);
      const body = JSON.parse(text) as ModelPage;
      for (const info of body.data ?? []) models.push({ id: info.id, displayName: info.display_name, createdAt: info.created_at });
      if (!body.has_more || !body.last_id) break;
      after = body.last_id;
    }
    return models;
  };
  return { list, close: async () => pool?.close() };
}
