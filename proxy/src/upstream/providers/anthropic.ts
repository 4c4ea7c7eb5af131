// Anthropic's own API (and Foundry, which serves the same Messages API under its resource's /anthropic path):
// the call goes as it is, with the key.
import type { UpstreamResponse } from '../upstream.ts';
import type { AnthropicCall, Provider, ProviderRequest } from './provider.ts';

export interface KeyedProviderOptions {
  baseUrl: string;
  apiKey?: string;
  /** Sent as Authorization: Bearer instead of the key (Foundry's Entra ID tokens). */
  authToken?: string;
  /** Paths other than the Messages API are served (Models, Batches): Anthropic only. */
  wholeApi: boolean;
}

const MESSAGES = /^\/v1\/messages(\/count_tokens)?(\?|$)/;

export function createKeyedProvider(options: KeyedProviderOptions): Provider {
  return {
    baseUrl: options.baseUrl,
    serves: (_method, path) => options.wholeApi || MESSAGES.test(path),
    defaultModelId: (model) => model,
    async prepare(call: AnthropicCall): Promise<ProviderRequest> {
      const headers = { ...call.headers };
      if (options.apiKey) headers['x-api-key'] = options.apiKey;
      if (options.authToken) headers.authorization = `Bearer ${options.authToken}`;
      let body = call.rawBody;
      // An explicit model mapping renames the model in the body; otherwise the bytes go as they came.
      if (call.body && call.model !== undefined && call.body.model !== call.model) body = JSON.stringify({ ...call.body, model: call.model });
      return { path: call.path, headers, body };
    },
    adapt: async (response: UpstreamResponse) => response,
  };
}

export function foundryBaseUrl(resource: string): string {
  return `https://${resource}.services.ai.azure.com/anthropic`;
}
