// The upstreams the gateway balances over: UPSTREAMS (JSON) or UPSTREAMS_FILE, validated once here. Without
// either, ANTHROPIC_API_KEY and ANTHROPIC_BASE_URL make the one-entry list they always meant. Secrets are
// kept in `credentials` only, and never repeated in a problem message.

export type UpstreamProvider = 'anthropic' | 'bedrock' | 'vertex' | 'foundry';

export const UPSTREAM_PROVIDERS: readonly UpstreamProvider[] = ['anthropic', 'bedrock', 'vertex', 'foundry'];

export interface AnthropicCredentials {
  apiKey?: string;
}

export interface BedrockCredentials {
  region: string;
  /** Explicit keys; without them the AWS default credential chain is used. */
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
  /** A Bedrock API key (bearer), instead of SigV4. */
  apiKey?: string;
  /** Prefix of the cross-region inference profile used by the default model-id mapping: us, eu, apac, global. */
  inferenceProfile?: string;
}

export interface VertexCredentials {
  projectId: string;
  region: string;
  /** A service-account key file; without it (and without accessToken) Application Default Credentials are used. */
  keyFile?: string;
  /** A fixed OAuth access token (short-lived; for tests and for hosts that mint their own). */
  accessToken?: string;
}

export interface FoundryCredentials {
  /** The Foundry resource name: https://{resource}.services.ai.azure.com/anthropic. */
  resource?: string;
  apiKey?: string;
  /** A Microsoft Entra ID bearer token, instead of the key. */
  authToken?: string;
}

interface UpstreamBase {
  /** Shown in X-Upstream, /health, metrics and the dashboard. */
  name: string;
  /** Share of new conversations, relative to the others serving the same model. */
  weight: number;
  /**
   * Gateway model id → the provider's model id. `undefined`: every model, mapped by the provider's default
   * rule. An entry whose value is null is served under the provider's default mapping.
   */
  models: Readonly<Record<string, string | null>> | undefined;
  /** Overrides the provider's endpoint (a proxy, a private endpoint, a test fake). */
  baseUrl: string | undefined;
  /** Multiplies the price table for requests this upstream served (regional cloud endpoints cost more). */
  priceMultiplier: number;
}

export type UpstreamConfig =
  | (UpstreamBase & { provider: 'anthropic'; credentials: AnthropicCredentials })
  | (UpstreamBase & { provider: 'bedrock'; credentials: BedrockCredentials })
  | (UpstreamBase & { provider: 'vertex'; credentials: VertexCredentials })
  | (UpstreamBase & { provider: 'foundry'; credentials: FoundryCredentials });

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const FIELDS = ['name', 'provider', 'credentials', 'weight', 'models', 'baseUrl', 'priceMultiplier'];

type Problems = string[];
type Obj = Record<string, unknown>;

function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(source: Obj, key: string, at: string, problems: Problems): string | undefined {
  const value = source[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    problems.push(`${at}.${key} must be a non-empty string`);
    return undefined;
  }
  return value.trim();
}

function requiredString(source: Obj, key: string, at: string, problems: Problems): string {
  const value = optionalString(source, key, at, problems);
  if (value === undefined && source[key] === undefined) problems.push(`${at}.${key} is required`);
  return value ?? '';
}

function readModels(value: unknown, at: string, problems: Problems): UpstreamBase['models'] {
  if (value === undefined || value === null || value === '*') return undefined;
  const out: Record<string, string | null> = {};
  if (Array.isArray(value)) {
    value.forEach((id, i) => {
      if (typeof id === 'string' && id.trim() !== '') out[id.trim()] = null;
      else problems.push(`${at}.models[${i}] must be a model id`);
    });
    return out;
  }
  if (!isObj(value)) {
    problems.push(`${at}.models must be "*", an array of model ids, or an object of gateway id → provider id`);
    return undefined;
  }
  for (const [id, mapped] of Object.entries(value)) {
    if (typeof mapped === 'string' && mapped.trim() !== '') out[id] = mapped.trim();
    else if (mapped === null) out[id] = null;
    else problems.push(`${at}.models["${id}"] must be the provider's model id or null`);
  }
  return out;
}

function readBaseUrl(value: unknown, at: string, problems: Problems): string | undefined {
  if (value === undefined || value === null) return undefined;
  try {
    const url = new URL(String(value));
    if (url.protocol === 'http:' || url.protocol === 'https:') return String(value).replace(/\/+$/, '');
  } catch {
    // reported below
  }
  problems.push(`${at}.baseUrl must be an http(s) URL`);
  return undefined;
}

function readNumber(value: unknown, fallback: number, at: string, problems: Problems, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > max) {
    problems.push(`${at} must be a number between 0 and ${max}`);
    return fallback;
  }
  return value;
}

function readCredentials(provider: UpstreamProvider, raw: unknown, at: string, problems: Problems): UpstreamConfig['credentials'] {
  const c = isObj(raw) ? raw : {};
  if (raw !== undefined && !isObj(raw)) problems.push(`${at} must be an object`);
  const s = (key: string) => optionalString(c, key, at, problems);
  switch (provider) {
    case 'anthropic':
      return dropUndefined({ apiKey: s('apiKey') });
    case 'bedrock': {
      const creds = dropUndefined({
        region: requiredString(c, 'region', at, problems),
        accessKeyId: s('accessKeyId'),
        secretAccessKey: s('secretAccessKey'),
        sessionToken: s('sessionToken'),
        apiKey: s('apiKey'),
        inferenceProfile: s('inferenceProfile'),
      });
      if ((creds.accessKeyId === undefined) !== (creds.secretAccessKey === undefined)) {
        problems.push(`${at} needs both accessKeyId and secretAccessKey, or neither (the AWS default credential chain)`);
      }
      return creds;
    }
    case 'vertex':
      return dropUndefined({
        projectId: requiredString(c, 'projectId', at, problems),
        region: requiredString(c, 'region', at, problems),
        keyFile: s('keyFile'),
        accessToken: s('accessToken'),
      });
    case 'foundry':
      return dropUndefined({ resource: s('resource'), apiKey: s('apiKey'), authToken: s('authToken') });
    default: {
      const never: never = provider;
      return never;
    }
  }
}

function dropUndefined<T extends Obj>(value: T): T {
  for (const key of Object.keys(value)) if (value[key] === undefined) delete value[key];
  return value;
}

function readEntry(raw: unknown, index: number, problems: Problems): UpstreamConfig | undefined {
  const at = `UPSTREAMS[${index}]`;
  if (!isObj(raw)) {
    problems.push(`${at} must be an object`);
    return undefined;
  }
  for (const key of Object.keys(raw)) if (!FIELDS.includes(key)) problems.push(`${at} has an unknown field "${key}" (fields: ${FIELDS.join(', ')})`);
  const name = typeof raw.name === 'string' ? raw.name : '';
  if (!NAME.test(name)) problems.push(`${at}.name must be 1 to 64 letters, digits, ".", "_" or "-"`);
  const provider = raw.provider as UpstreamProvider;
  if (!UPSTREAM_PROVIDERS.includes(provider)) {
    problems.push(`${at}.provider must be one of ${UPSTREAM_PROVIDERS.join(', ')}`);
    return undefined;
  }
  const entry = {
    name,
    provider,
    weight: readNumber(raw.weight, 1, `${at}.weight`, problems, 1_000_000),
    models: readModels(raw.models, at, problems),
    baseUrl: readBaseUrl(raw.baseUrl, at, problems),
    priceMultiplier: readNumber(raw.priceMultiplier, 1, `${at}.priceMultiplier`, problems, 100),
    credentials: readCredentials(provider, raw.credentials, `${at}.credentials`, problems),
  } as UpstreamConfig;
  if (entry.provider === 'foundry' && !entry.baseUrl && !entry.credentials.resource) problems.push(`${at} needs credentials.resource or baseUrl`);
  return entry;
}

/** Parses the UPSTREAMS JSON text; problems are pushed, never thrown, so one start reports them all. */
export function parseUpstreams(text: string, problems: Problems): UpstreamConfig[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    problems.push(`UPSTREAMS is not valid JSON (${(error as Error).message.replace(/"[^"]*"/g, '…')})`);
    return [];
  }
  const list = isObj(raw) && Array.isArray(raw.upstreams) ? raw.upstreams : raw;
  if (!Array.isArray(list) || list.length === 0) {
    problems.push('UPSTREAMS must be a non-empty JSON array of upstreams (or {"upstreams": [...]})');
    return [];
  }
  const entries = list.map((item, i) => readEntry(item, i, problems)).filter((e): e is UpstreamConfig => e !== undefined);
  const seen = new Set<string>();
  for (const entry of entries) {
    if (seen.has(entry.name)) problems.push(`UPSTREAMS has two upstreams named "${entry.name}"`);
    seen.add(entry.name);
  }
  return entries;
}

/** The one upstream the single-key configuration always meant. */
export function singleAnthropicUpstream(apiKey: string | undefined, baseUrl: string): UpstreamConfig {
  return {
    name: 'anthropic',
    provider: 'anthropic',
    weight: 1,
    models: undefined,
    baseUrl,
    priceMultiplier: 1,
    credentials: apiKey ? { apiKey } : {},
  };
}

/** What /health, the admin API and the dashboard may show of an upstream: everything but its secrets. */
export function describeUpstream(upstream: UpstreamConfig): Record<string, unknown> {
  const c = upstream.credentials as Obj;
  const visible: Obj = {};
  for (const key of ['region', 'projectId', 'resource', 'inferenceProfile']) if (c[key] !== undefined) visible[key] = c[key];
  const auth = authKind(upstream);
  return { name: upstream.name, provider: upstream.provider, weight: upstream.weight, models: upstream.models ? Object.keys(upstream.models) : '*', ...visible, auth };
}

function authKind(upstream: UpstreamConfig): string {
  const c = upstream.credentials as Obj;
  if (c.apiKey) return 'api key';
  if (c.accessKeyId) return 'aws keys';
  if (c.accessToken || c.authToken) return 'bearer token';
  if (upstream.provider === 'bedrock') return 'aws default chain';
  if (upstream.provider === 'vertex') return c.keyFile ? 'service account file' : 'application default credentials';
  return 'none';
}
