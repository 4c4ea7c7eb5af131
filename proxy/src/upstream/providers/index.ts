// One provider per configured upstream.
import type { UpstreamConfig } from '../../config/upstreams.ts';
import { createKeyedProvider, foundryBaseUrl } from './anthropic.ts';
import { createBedrockProvider } from './bedrock.ts';
import type { Provider } from './provider.ts';
import { createVertexProvider } from './vertex.ts';

export type { Provider } from './provider.ts';

export function createProvider(upstream: UpstreamConfig): Provider {
  switch (upstream.provider) {
    case 'anthropic':
      return createKeyedProvider({ baseUrl: upstream.baseUrl ?? 'https://api.anthropic.com', ...upstream.credentials, wholeApi: true });
    case 'foundry':
      return createKeyedProvider({ baseUrl: upstream.baseUrl ?? foundryBaseUrl(upstream.credentials.resource ?? ''), ...upstream.credentials, wholeApi: false });
    case 'bedrock':
      return createBedrockProvider({ credentials: upstream.credentials, ...(upstream.baseUrl && { baseUrl: upstream.baseUrl }) });
    case 'vertex':
      return createVertexProvider(upstream.credentials, upstream.baseUrl);
    default: {
      const never: never = upstream;
      return never;
    }
  }
}
