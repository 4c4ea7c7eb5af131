import { CONFIG_DEFAULTS, type GatewayConfig } from './config.ts';
import { defaultDataDir } from './data-dir.ts';
import { ConfigError, EnvReader, type Env } from './env-readers.ts';
import { readMemoryBatchTools } from './memory-batch-tools.ts';
import { readRoutingReliability } from './routing-reliability.ts';
import { readScaleOut } from './scale-out.ts';
import { DEFAULT_REDUCTION_SETTINGS, reductionSettingsFromEnv, type ReductionSettings } from '../reduce/settings.ts';
import { readStorage } from './storage.ts';
import { readUpstreams } from './upstreams-env.ts';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export interface EnvParseOptions {
  /** A key generated and kept by the host when GATEWAY_API_KEY is not set (the CLI keeps one in DATA_DIR). */
  fallbackGatewayKey?: (dataDir: string) => string;
  /** The same for ADMIN_API_KEY: a distinct admin key, generated once and kept in DATA_DIR. */
  fallbackAdminKey?: (dataDir: string) => string;
  /** The demo host brings its own upstream, so no Anthropic key is needed. */
  requireAnthropicKey?: boolean;
}

/** Reads the environment into a frozen GatewayConfig, or throws ConfigError naming every bad variable. */
export function configFromEnv(env: Env, options: EnvParseOptions = {}): GatewayConfig {
  const read = new EnvReader(env);
  const dataDir = read.string('DATA_DIR', defaultDataDir());

  const anthropicApiKey = read.string('ANTHROPIC_API_KEY');
  const upstreams = readUpstreams(env, read);
  if (!anthropicApiKey && !upstreams && options.requireAnthropicKey !== false) {
    read.fail('ANTHROPIC_API_KEY', 'is not set: the gateway needs an Anthropic API key (or run `npm run gateway:demo` to try it offline)');
  }

  let gatewayApiKey = read.string('GATEWAY_API_KEY');
  if (!gatewayApiKey) {
    if (options.fallbackGatewayKey) gatewayApiKey = options.fallbackGatewayKey(dataDir);
    else read.fail('GATEWAY_API_KEY', 'is not set: every API call needs a key');
  }
  if (gatewayApiKey && gatewayApiKey.length < 16) read.fail('GATEWAY_API_KEY', 'must be at least 16 characters long');

  let adminApiKey = read.string('ADMIN_API_KEY');
  if (!adminApiKey) {
    if (options.fallbackAdminKey) adminApiKey = options.fallbackAdminKey(dataDir);
    else read.fail('ADMIN_API_KEY', 'is not set: the admin API needs its own key, distinct from GATEWAY_API_KEY');
  }
  if (adminApiKey && adminApiKey.length < 16) read.fail('ADMIN_API_KEY', 'must be at least 16 characters long');
  if (adminApiKey && adminApiKey === gatewayApiKey) {
    read.fail('ADMIN_API_KEY', 'must differ from GATEWAY_API_KEY: the key every IDE holds must not open the admin API');
  }

  const config: GatewayConfig = {
    anthropicApiKey,
    anthropicBaseUrl: read.url('ANTHROPIC_BASE_URL', CONFIG_DEFAULTS.anthropicBaseUrl).replace(/\/v1$/, ''),
    ...(upstreams && { upstreams }),
    gatewayApiKey: gatewayApiKey ?? '',
    adminApiKey: adminApiKey ?? '',
    originSecret: read.string('ORIGIN_SECRET'),
    ...readCfAccess(read),
    defaultModel: read.string('DEFAULT_MODEL', CONFIG_DEFAULTS.defaultModel),
    opusModel: read.string('OPUS_MODEL', CONFIG_DEFAULTS.opusModel),
    haikuModel: read.string('HAIKU_MODEL', CONFIG_DEFAULTS.haikuModel),
    modelPrefix: read.string('MODEL_PREFIX', CONFIG_DEFAULTS.modelPrefix),
    upstreamTimeoutMs: read.number('UPSTREAM_TIMEOUT_SECONDS', CONFIG_DEFAULTS.upstreamTimeoutSeconds, { min: 1, max: 3600 }) * 1000,
    streamIdleTimeoutMs: read.number('STREAM_IDLE_TIMEOUT_SECONDS', CONFIG_DEFAULTS.streamIdleTimeoutSeconds, { min: 1, max: 3600 }) * 1000,
    keepAliveMs: read.number('KEEPALIVE_SECONDS', CONFIG_DEFAULTS.keepAliveSeconds, { min: 1, max: 600 }) * 1000,
    cacheTtlSeconds: read.int('CACHE_TTL_SECONDS', CONFIG_DEFAULTS.cacheTtlSeconds, { min: 0 }),
    host: read.string('HOST', CONFIG_DEFAULTS.host),
    port: read.int('PORT', CONFIG_DEFAULTS.port, { min: 0, max: 65535 }),
    allowedHosts: read.list('ALLOWED_HOSTS').map((h) => h.toLowerCase()),
    dataDir,
    maxBodyBytes: read.int('MAX_BODY_BYTES', CONFIG_DEFAULTS.maxBodyBytes, { min: 1024 }),
    shutdownGraceMs: read.number('SHUTDOWN_GRACE_SECONDS', CONFIG_DEFAULTS.shutdownGraceSeconds, { min: 0, max: 600 }) * 1000,
    logLevel: read.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    ...readRoutingReliability(read),
    ...readStorage(read),
    ...readMemoryBatchTools(read),
    ...readScaleOut(read),
    reduction: readReduction(env, read),
  };

  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return Object.freeze(config);
}

/** Cloudflare Access: required headers are verified, so the team domain and AUD tag must be known. */
function readCfAccess(read: EnvReader): Pick<GatewayConfig, 'requireCfAccessHeaders' | 'cfAccessTeamDomain' | 'cfAccessAudiences'> {
  const requireCfAccessHeaders = read.bool('REQUIRE_CF_ACCESS_HEADERS', false);
  const cfAccessTeamDomain = read.string('CF_ACCESS_TEAM_DOMAIN');
  const cfAccessAudiences = read.list('CF_ACCESS_AUD');
  if (requireCfAccessHeaders) {
    if (!cfAccessTeamDomain) read.fail('CF_ACCESS_TEAM_DOMAIN', 'is required with REQUIRE_CF_ACCESS_HEADERS=1 (e.g. myteam.cloudflareaccess.com)');
    if (cfAccessAudiences.length === 0) read.fail('CF_ACCESS_AUD', "is required with REQUIRE_CF_ACCESS_HEADERS=1 (the Access application's AUD tag)");
  }
  if (cfAccessTeamDomain && !validTeamDomain(cfAccessTeamDomain)) {
    read.fail('CF_ACCESS_TEAM_DOMAIN', 'must be a host name such as myteam.cloudflareaccess.com, or an https:// origin');
  }
  return { requireCfAccessHeaders, cfAccessTeamDomain, cfAccessAudiences };
}

/** A bare host name, an https origin, or (for local testing) an http origin on a loopback address. */
function validTeamDomain(value: string): boolean {
  if (/^[a-z0-9.-]+$/i.test(value)) return true;
  try {
    const url = new URL(value);
    if (url.pathname !== '/' || url.search || url.username) return false;
    return url.protocol === 'https:' || (url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname));
  } catch {
    return false;
  }
}

/** The token-reduction flags, their problems reported with everyone else's. */
function readReduction(env: Env, read: EnvReader): ReductionSettings {
  try {
    return reductionSettingsFromEnv(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    read.problems.push(...error.problems);
    return DEFAULT_REDUCTION_SETTINGS;
  }
}
