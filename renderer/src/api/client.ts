// The one place the dashboard talks HTTP: every admin call carries the admin key as a Bearer token, and every
// failure becomes an ApiError carrying the gateway's OpenAI-shaped error message.
import type {
  ConnectionTestResult,
  CostSummary,
  CreatedKey,
  DailyUsage,
  GatewaySettings,
  Budget,
  BudgetInput,
  HealthInfo,
  KeyInfo,
  ModelList,
  Project,
  ProjectInput,
  RequestPage,
  UsageQuery,
  UsageRecord,
  UsageSummary,
} from './types.ts';

export class ApiError extends Error {
  readonly status: number;
  readonly type: string | null;
  constructor(status: number, message: string, type: string | null = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.type = type;
  }
}

export interface Connection {
  baseUrl: string;
  adminKey: string;
}

export interface RequestFilter {
  limit?: number;
  before?: string;
  project?: string;
  model?: string;
  status?: string;
  q?: string;
}

export interface ExportParams extends UsageQuery {
  format: 'csv' | 'json';
  granularity: 'request' | 'day';
}

export interface DownloadedFile {
  blob: Blob;
  filename: string;
}

type Query = Record<string, string | number | undefined | null>;

export function queryString(query: Query): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(name, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** The file name from a Content-Disposition header, or the fallback. */
export function attachmentName(header: string | null, fallback: string): string {
  if (!header) return fallback;
  const star = /filename\*\s*=\s*(?:UTF-8'')?([^;]+)/i.exec(header);
  if (star) {
    try {
      return decodeURIComponent(star[1]!.trim().replace(/^"|"$/g, ''));
    } catch {
      /* fall through to the plain form */
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(header);
  return plain ? plain[1]!.trim() : fallback;
}

async function errorFrom(response: Response): Promise<ApiError> {
  let message = `${response.status} ${response.statusText || 'error'}`;
  let type: string | null = null;
  try {
    const body = (await response.json()) as { error?: { message?: string; type?: string } };
    if (body?.error?.message) message = body.error.message;
    if (body?.error?.type) type = body.error.type;
  } catch {
    /* not JSON: keep the status line */
  }
  return new ApiError(response.status, message, type);
}

export function createClient(connection: Connection, fetchImpl: typeof fetch = (...args) => fetch(...args)) {
  const base = connection.baseUrl.replace(/\/+$/, '');

  async function send(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = { authorization: `Bearer ${connection.adminKey}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetchImpl(`${base}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ApiError(0, 'The gateway cannot be reached. Is it running?');
    }
    if (!response.ok) throw await errorFrom(response);
    return response;
  }

  async function json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await send(method, path, body);
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  const range = (q: UsageQuery): Query => ({ from: q.from, to: q.to, project: q.project, model: q.model });

  return {
    baseUrl: base,
    usage: (q: UsageQuery) => json<UsageSummary>('GET', `/admin/usage${queryString(range(q))}`),
    daily: (q: UsageQuery) => json<DailyUsage>('GET', `/admin/usage/daily${queryString(range(q))}`),
    costs: (q: UsageQuery) => json<CostSummary>('GET', `/admin/costs${queryString(range(q))}`),
    requests: (f: RequestFilter) => json<RequestPage>('GET', `/admin/requests${queryString({ ...f })}`),
    request: (id: string) => json<UsageRecord>('GET', `/admin/requests/${encodeURIComponent(id)}`),
    projects: () => json<{ data: Project[] }>('GET', '/admin/projects'),
    createProject: (input: ProjectInput) => json<Project>('POST', '/admin/projects', input),
    updateProject: (id: string, input: Partial<ProjectInput>) =>
      json<Project>('PUT', `/admin/projects/${encodeURIComponent(id)}`, input),
    deleteProject: (id: string) => json<void>('DELETE', `/admin/projects/${encodeURIComponent(id)}`),
    keys: (projectId: string) => json<{ data: KeyInfo[] }>('GET', `/admin/projects/${encodeURIComponent(projectId)}/keys`),
    createKey: (projectId: string, name: string) =>
      json<CreatedKey>('POST', `/admin/projects/${encodeURIComponent(projectId)}/keys`, name ? { name } : {}),
    revokeKey: (projectId: string, keyId: string) =>
      json<void>('DELETE', `/admin/projects/${encodeURIComponent(projectId)}/keys/${encodeURIComponent(keyId)}`),
    settings: () => json<GatewaySettings>('GET', '/admin/settings'),
    /** A live connection check; null when this gateway has no such endpoint (the caller re-reads the settings). */
    async testStorage(target: 'redis' | 'postgres'): Promise<ConnectionTestResult | null> {
      try {
        return await json<ConnectionTestResult>('POST', '/admin/settings/test', { target });
      } catch (error) {
        if (error instanceof ApiError && (error.status === 404 || error.status === 405)) return null;
        throw error;
      }
    },
    health: () => json<HealthInfo>('GET', '/health'),
    budgets: () => json<{ budgets: Budget[] }>('GET', '/admin/budgets'),
    putBudget: (scope: Budget['scope'], subject: string, input: BudgetInput) =>
      json<Budget>('PUT', `/admin/budgets/${scope}/${encodeURIComponent(subject)}`, input),
    deleteBudget: (scope: Budget['scope'], subject: string) => json<void>('DELETE', `/admin/budgets/${scope}/${encodeURIComponent(subject)}`),
    models: () => json<ModelList>('GET', '/v1/models'),
    async exportFile(p: ExportParams): Promise<DownloadedFile> {
      const query = queryString({ format: p.format, granularity: p.granularity, ...range(p) });
      const response = await send('GET', `/admin/export${query}`);
      const fallback = `usage-${p.from ?? 'all'}-${p.to ?? 'now'}.${p.format}`;
      return { blob: await response.blob(), filename: attachmentName(response.headers.get('content-disposition'), fallback) };
    },
  };
}

export type AdminClient = ReturnType<typeof createClient>;
