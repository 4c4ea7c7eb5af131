// Builds the gateway's immutable config from the desktop settings and the keychain: the desktop counterpart of
// configFromEnv. The desktop gateway always binds loopback; a public tunnel reaches it through loopback too.
import { randomBytes } from 'node:crypto';
import { makeConfig, type GatewayConfig } from '../../proxy/src/config/config.ts';
import { parseUpstreams, type UpstreamConfig } from '../../proxy/src/config/upstreams.ts';
import type { SecretStore } from '../settings/secret-store.ts';
import type { DesktopSettings } from '../settings/settings.ts';

export const DESKTOP_HOST = '127.0.0.1';

/** Boolean config fields that guard access; the desktop app manages them itself, the dashboard cannot flip them. */
const PROTECTED_FLAGS = new Set(['requireCfAccessHeaders']);

export function newGatewayKey(): string {
  return `cg-${randomBytes(24).toString('base64url')}`;
}

/** The gateway's boolean feature flags with their defaults, by config field name. */
export function featureDefaults(): Record<string, boolean> {
  const defaults = makeConfig({ gatewayApiKey: 'x'.repeat(16) }) as unknown as Record<string, unknown>;
  const out: Record<string, boolean> = {};
  for (const key of Object.keys(defaults).sort()) {
    if (typeof defaults[key] === 'boolean' && !PROTECTED_FLAGS.has(key)) out[key] = defaults[key] as boolean;
  }
  return out;
}

/** Default flags with the user's overrides applied; overrides for unknown flags are ignored. */
export function effectiveFeatures(settings: DesktopSettings): Record<string, boolean> {
  const features = featureDefaults();
  for (const [name, value] of Object.entries(settings.features)) {
    if (name in features) features[name] = value;
  }
  return features;
}

/** Makes sure the gateway and admin keys exist, generating them on first run. */
export function ensureKeys(secrets: SecretStore, generate: () => string = newGatewayKey): { gatewayApiKey: string; adminApiKey: string } {
  let gatewayApiKey = secrets.get('gatewayApiKey');
  if (!gatewayApiKey || gatewayApiKey.length < 16) {
    gatewayApiKey = generate();
    secrets.set('gatewayApiKey', gatewayApiKey);
  }
  let adminApiKey = secrets.get('adminApiKey');
  // The gateway key may travel to a public URL for Cursor; the admin key never does, so the two always differ.
  if (!adminApiKey || adminApiKey.length < 16 || adminApiKey === gatewayApiKey) {
    adminApiKey = generate();
    secrets.set('adminApiKey', adminApiKey);
  }
  return { gatewayApiKey, adminApiKey };
}

export interface DesktopConfigInput {
  settings: DesktopSettings;
  secrets: SecretStore;
  dataDir: string;
  /** Public hostnames (a tunnel's, or the user's own) the loopback-bound gateway must also answer. */
  publicHosts: string[];
}

export function desktopGatewayConfig(input: DesktopConfigInput): GatewayConfig {
  const { gatewayApiKey, adminApiKey } = ensureKeys(input.secrets);
  const upstreams = storedUpstreams(input.secrets);
  return makeConfig({
    ...effectiveFeatures(input.settings),
    gatewayApiKey,
    adminApiKey,
    anthropicApiKey: input.secrets.get('anthropicApiKey'),
    ...(upstreams.length > 0 && { upstreams }),
    host: DESKTOP_HOST,
    port: input.settings.port,
    dataDir: input.dataDir,
    allowedHosts: [...new Set(input.publicHosts.map((h) => h.toLowerCase()))].sort(),
  });
}

/** The upstream list kept in the keychain (it holds credentials); empty when none is stored or it no longer parses. */
export function storedUpstreams(secrets: SecretStore): UpstreamConfig[] {
  const json = secrets.get('upstreams');
  if (!json) return [];
  const problems: string[] = [];
  const list = parseUpstreams(json, problems);
  return problems.length > 0 ? [] : list;
}
