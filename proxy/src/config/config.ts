// The gateway's configuration: parsed and validated once at the edge (env for headless, the desktop settings
// store for the app), then frozen. Nothing inside the gateway reads process.env.
import { MEMORY_BATCH_TOOLS_DEFAULTS, type MemoryBatchToolsConfig } from './memory-batch-tools.ts';
import { ROUTING_RELIABILITY_DEFAULTS, type RoutingReliabilityConfig } from './routing-reliability.ts';
import { SCALE_OUT_DEFAULTS, type ScaleOutConfig } from './scale-out.ts';
import { STORAGE_DEFAULTS, type StorageConfig } from './storage.ts';
import { DEFAULT_REDUCTION_SETTINGS, type ReductionSettings } from '../reduce/settings.ts';
import { singleAnthropicUpstream, type UpstreamConfig } from './upstreams.ts';

export interface GatewayConfig extends RoutingReliabilityConfig, StorageConfig, MemoryBatchToolsConfig, ScaleOutConfig {
  /** Token-reduction layers and their limits (STRIP_IDE_BOILERPLATE, ENABLE_ANTHROPIC_CACHE_CONTROL, ...). */
  reduction: ReductionSettings;
  /** Anthropic key used upstream; undefined only when the host supplies its own upstream (tests, demo). */
  anthropicApiKey: string | undefined;
  /** Origin of the Anthropic API, without /v1 (same meaning as in Anthropic's SDK). */
  anthropicBaseUrl: string;
  /**
   * Several upstreams to balance over (UPSTREAMS / UPSTREAMS_FILE); undefined: the one Anthropic upstream of
   * anthropicApiKey and anthropicBaseUrl.
   */
  upstreams?: readonly UpstreamConfig[];
  /** Key every API call must present. */
  gatewayApiKey: string;
  /** Key for /admin routes: always distinct from the gateway key (empty: no admin access at all). */
  adminApiKey: string;
  /** When set, every request except /health must carry X-Origin-Secret with this value. */
  originSecret: string | undefined;
  /** When true, every request except /health must carry a Cloudflare Access token that verifies. */
  requireCfAccessHeaders: boolean;
  /** The Access team domain (`myteam.cloudflareaccess.com`): issuer of the tokens and home of their keys. */
  cfAccessTeamDomain: string | undefined;
  /** The Access application's AUD tag(s) a token must be issued for. */
  cfAccessAudiences: string[];

  defaultModel: string;
  opusModel: string;
  haikuModel: string;
  /** Prefix that makes model ids distinct from names IDEs reserve (e.g. Cursor's built-in Claude names). */
  modelPrefix: string;

  /** Time allowed for the upstream response to start. */
  upstreamTimeoutMs: number;
  /** Time allowed between two upstream stream events. */
  streamIdleTimeoutMs: number;
  /** SSE comment sent to the client when nothing else was written for this long. */
  keepAliveMs: number;
  cacheTtlSeconds: number;

  host: string;
  port: number;
  /** Extra Host header values accepted besides loopback names (public tunnel hostnames). */
  allowedHosts: string[];
  dataDir: string;
  maxBodyBytes: number;
  shutdownGraceMs: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

export const CONFIG_DEFAULTS = {
  anthropicBaseUrl: 'https://api.anthropic.com',
  defaultModel: 'claude-sonnet-5-5',
  opusModel: 'claude-opus-5-5',
  haikuModel: 'claude-haiku-5-5',
  modelPrefix: 'cg-',
  upstreamTimeoutSeconds: 600,
  streamIdleTimeoutSeconds: 300,
  keepAliveSeconds: 15,
  cacheTtlSeconds: 1800,
  host: '127.0.0.1',
  port: 8787,
  maxBodyBytes: 32 * 1024 * 1024,
  shutdownGraceSeconds: 30,
} as const;

/** A complete config for tests and embedders: defaults plus what they override. */
export function makeConfig(overrides: Partial<GatewayConfig> & Pick<GatewayConfig, 'gatewayApiKey'>): GatewayConfig {
  return Object.freeze({
    anthropicApiKey: undefined,
    anthropicBaseUrl: CONFIG_DEFAULTS.anthropicBaseUrl,
    // No admin key unless one is given: the gateway key never opens /admin.
    adminApiKey: '',
    originSecret: undefined,
    requireCfAccessHeaders: false,
    cfAccessTeamDomain: undefined,
    cfAccessAudiences: [],
    defaultModel: CONFIG_DEFAULTS.defaultModel,
    opusModel: CONFIG_DEFAULTS.opusModel,
    haikuModel: CONFIG_DEFAULTS.haikuModel,
    modelPrefix: CONFIG_DEFAULTS.modelPrefix,
    upstreamTimeoutMs: CONFIG_DEFAULTS.upstreamTimeoutSeconds * 1000,
    streamIdleTimeoutMs: CONFIG_DEFAULTS.streamIdleTimeoutSeconds * 1000,
    keepAliveMs: CONFIG_DEFAULTS.keepAliveSeconds * 1000,
    cacheTtlSeconds: CONFIG_DEFAULTS.cacheTtlSeconds,
    host: CONFIG_DEFAULTS.host,
    port: CONFIG_DEFAULTS.port,
    allowedHosts: [],
    dataDir: '.data',
    maxBodyBytes: CONFIG_DEFAULTS.maxBodyBytes,
    shutdownGraceMs: CONFIG_DEFAULTS.shutdownGraceSeconds * 1000,
    logLevel: 'info',
    ...ROUTING_RELIABILITY_DEFAULTS,
    ...STORAGE_DEFAULTS,
    reduction: DEFAULT_REDUCTION_SETTINGS,
    ...MEMORY_BATCH_TOOLS_DEFAULTS,
    ...SCALE_OUT_DEFAULTS,
    ...overrides,
  });
}

/** The upstreams a config names: its list, or the single Anthropic upstream of the classic settings. */
export function upstreamsOf(config: Pick<GatewayConfig, 'upstreams' | 'anthropicApiKey' | 'anthropicBaseUrl'>): readonly UpstreamConfig[] {
  return config.upstreams && config.upstreams.length > 0 ? config.upstreams : [singleAnthropicUpstream(config.anthropicApiKey, config.anthropicBaseUrl)];
}

/**
 * The Anthropic account that serves what only Anthropic's own API offers (the model list, Message Batches): the
 * first Anthropic upstream of the list, or the classic single key.
 */
export function primaryAnthropic(config: Pick<GatewayConfig, 'upstreams' | 'anthropicApiKey' | 'anthropicBaseUrl'>): { baseUrl: string; apiKey: string | undefined } {
  const first = upstreamsOf(config).find((u) => u.provider === 'anthropic');
  if (!first || first.provider !== 'anthropic') return { baseUrl: config.anthropicBaseUrl, apiKey: config.anthropicApiKey };
  return { baseUrl: first.baseUrl ?? CONFIG_DEFAULTS.anthropicBaseUrl, apiKey: first.credentials.apiKey };
}
