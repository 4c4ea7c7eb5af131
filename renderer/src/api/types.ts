// The admin API's shapes, as the gateway serves them under /admin/*. The record, totals and project policy come
// from the gateway's own import-free type files, so the two sides cannot drift apart.
import type { ProjectPolicy } from '../../../proxy/src/projects/identity.ts';
import type { Totals } from '../../../proxy/src/usage/totals.ts';
import type { UsageRecord } from '../../../proxy/src/usage/usage-record.ts';

export type { ReductionSwitch as ReductionLayer, ProjectPolicy } from '../../../proxy/src/projects/identity.ts';
export type { Totals } from '../../../proxy/src/usage/totals.ts';
export type { ThinkingDetail, ThinkingDrop, UsageRecord } from '../../../proxy/src/usage/usage-record.ts';



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
  /** Several upstreams only: each one's state, headroom and traffic. */
  upstreams?: UpstreamInfo[];
}

export interface UpstreamInfo {
  name: string;
  provider: string;
  state: 'healthy' | 'drained' | 'failing';
  config: Record<string, unknown>;
  circuits: Array<{ model: string; state: string }>;
  capacity: { remaining: number; resetAt: string } | null;
  traffic: {
    requests: number;
    answered: number;
    failovers: Record<'rate_limited' | 'overloaded' | 'server_error' | 'connection', number>;
    lastError: string | null;
    lastErrorAt: string | null;
  };
}

export type BudgetPeriod = 'day' | 'week' | 'month';

export interface BudgetInput {
  period: BudgetPeriod;
  limitUsd: number;
  softPercent: number;
  totalUsd: number | null;
}

export interface Budget extends BudgetInput {
  scope: 'project' | 'key';
  subject: string;
  status: {
    state: 'ok' | 'soft' | 'exceeded';
    exceeded: 'period' | 'total' | null;
    spend: { period: number; total: number };
    periodStart: string;
    resetsAt: string;
  };
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
