// The admin API's shapes, as the gateway serves them under /admin/*. The dashboard is built on its own, so it keeps
// its own copy of the contract instead of importing the gateway's sources.

export type ReductionLayer =
  | 'strip'
  | 'caps'
  | 'cacheControl'
  | 'dedup'
  | 'prune'
  | 'diffFirst'
  | 'repoMap'
  | 'responseCache'
  | 'memory';

export interface UsageRecord {
  id: string;
  ts: string;
  projectId: string;
  keyId: string | null;
  client: string | null;
  endpoint: 'chat' | 'messages' | 'count_tokens' | 'batch';
  requestedModel: string | null;
  model: string | null;
  routeReason: string | null;
  stream: boolean;
  status: number;
  errorType: string | null;
  latencyMs: number;
  ttftMs: number | null;
  tokensBefore: number | null;
  tokensAfter: number | null;
  reductionByLayer: Record<string, number>;
  inputTokens: number;
  cacheWriteTokens: number;
  cacheReadTokens: number;
  outputTokens: number;
  costUsd: number;
  baselineCostUsd: number;
  cacheHit: 'response' | null;
  batch: boolean;
}

export interface Totals {
  requests: number;
  errors: number;
  inputTokens: number;
  cacheWriteTokens: number;
  cacheReadTokens: number;
  outputTokens: number;
  tokensBefore: number;
  tokensAfter: number;
  costUsd: number;
  baselineCostUsd: number;
  savedUsd: number;
  responseCacheHits: number;
  avgLatencyMs: number;
  p50LatencyMs: number;
  p95LatencyMs: number;
}

export interface UsageSummary {
  from: string;
  to: string;
  totals: Totals;
  byModel: Array<{ model: string } & Totals>;
  byProject: Array<{ projectId: string; projectName: string } & Totals>;
}

export type DailyRow = { date: string; projectId: string } & Totals;

export interface DailyUsage {
  days: DailyRow[];
}

export interface CostSummary {
  totals: { costUsd: number; baselineCostUsd: number; savedUsd: number; savedPct: number };
  byModel: unknown[];
  byProject: unknown[];
  byLayer: Array<{ layer: string; tokensSaved: number }>;
}

export interface RequestPage {
  data: UsageRecord[];
  nextBefore: string | null;
}

export interface ProjectPolicy {
  id: string;
  name: string;
  rateLimitRpm: number | null;
  tokensPerMinute: number | null;
  defaultModel: string | null;
  maxTokensCap: number | null;
  allowedTools: string[] | null;
  reduction: Partial<Record<ReductionLayer, boolean>>;
  fallbackChain: string[] | null;
}

export interface KeyInfo {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

export type Project = ProjectPolicy & { createdAt: string; keys: KeyInfo[] };

/** What POST /admin/projects and PUT /admin/projects/:id accept: every policy field but the id. */
export type ProjectInput = Omit<ProjectPolicy, 'id'>;

export type CreatedKey = KeyInfo & { key: string };

export interface StorageStatus {
  configured: boolean;
  connected: boolean;
}

export interface GatewaySettings {
  features: Record<string, boolean>;
  storage: { sqlite: string; redis: StorageStatus; postgres: StorageStatus };
}

export interface ConnectionTestResult {
  ok: boolean;
  message?: string;
  latencyMs?: number;
}

export interface HealthInfo {
  status: string;
  version: string;
}

export interface ModelList {
  data: Array<{ id: string }>;
}

export interface UsageQuery {
  from?: string;
  to?: string;
  project?: string;
  model?: string;
}
