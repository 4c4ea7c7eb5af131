// What an IDE needs to reach the gateway: a base URL, the key, and model ids that do not collide with names the
// IDE reserves for its own providers (hence the configured prefix: cg-sonnet rather than sonnet).

export interface GatewayEndpoint {
  /** Ends in /v1. */
  baseUrl: string;
  apiKey: string;
  /** Prefixed ids, the default (sonnet) first. */
  models: string[];
}

export interface ModelNames {
  modelPrefix: string;
  defaultModel: string;
  opusModel: string;
  haikuModel: string;
}

export function prefixedModelIds(names: ModelNames): string[] {
  const ids = ['sonnet', 'opus', 'haiku', names.defaultModel, names.opusModel, names.haikuModel];
  return [...new Set(ids.map((id) => `${names.modelPrefix}${id}`))];
}

/** The block "Copy Cursor settings" puts on the clipboard, for pasting into Cursor's model settings. */
export function endpointText(endpoint: GatewayEndpoint): string {
  return [
    `OpenAI base URL: ${endpoint.baseUrl}`,
    `OpenAI API key: ${endpoint.apiKey}`,
    `Models: ${endpoint.models.join(', ')}`,
  ].join('\n');
}
