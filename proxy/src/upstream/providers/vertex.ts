// Google Vertex AI's Claude endpoints: POST …/projects/{p}/locations/{r}/publishers/anthropic/models/{model}:
// rawPredict (streamRawPredict for a stream), the model in the path, `anthropic_version: "vertex-2023-10-16"`
// in the body, an OAuth bearer token from Application Default Credentials (google-auth-library, loaded on first
// use). The stream is Anthropic's SSE already; errors may come in Google's shape.
import type { VertexCredentials } from '../../config/upstreams.ts';
import type { UpstreamResponse } from '../upstream.ts';
import { vertexErrorBody } from './cloud-errors.ts';
import { vertexModelId } from './model-ids.ts';
import { cloudHeaders, type AnthropicCall, type Provider, type ProviderRequest } from './provider.ts';
import { textResponse } from './response-body.ts';

export const VERTEX_VERSION = 'vertex-2023-10-16';

export type TokenSource = () => Promise<string>;

export function vertexBaseUrl(region: string): string {
  if (region === 'global') return 'https://aiplatform.googleapis.com/v1';
  if (region === 'us' || region === 'eu') return `https://aiplatform.${region}.rep.googleapis.com/v1`;
  return `https://${region}-aiplatform.googleapis.com/v1`;
}

function googleTokens(credentials: VertexCredentials): TokenSource {
  if (credentials.accessToken) {
    const token = credentials.accessToken;
    return async () => token;
  }
  let auth: Promise<{ getAccessToken(): Promise<string | null | undefined> }> | undefined;
  return async () => {
    auth ??= import('google-auth-library').then(({ GoogleAuth }) =>
      new GoogleAuth({ scopes: 'https://www.googleapis.com/auth/cloud-platform', ...(credentials.keyFile && { keyFile: credentials.keyFile }) }),
    );
    // The library caches the token and refreshes it shortly before it expires.
    const token = await (await auth).getAccessToken();
    if (!token) throw Object.assign(new Error('Google credentials gave no access token'), { code: 'VERTEX_NO_TOKEN' });
    return token;
  };
}

export function vertexBody(call: AnthropicCall, keepModel: boolean): string {
  const { model, ...rest } = call.body ?? {};
  return JSON.stringify({ anthropic_version: VERTEX_VERSION, ...(keepModel && { model: call.model ?? model }), ...rest });
}

export function createVertexProvider(credentials: VertexCredentials, baseUrl?: string): Provider {
  const tokens = googleTokens(credentials);
  const root = `/projects/${encodeURIComponent(credentials.projectId)}/locations/${encodeURIComponent(credentials.region)}/publishers/anthropic/models`;
  return {
    baseUrl: baseUrl ?? vertexBaseUrl(credentials.region),
    serves: (method, path) => method === 'POST' && /^\/v1\/messages(\/count_tokens)?(\?|$)/.test(path),
    defaultModelId: vertexModelId,
    async prepare(call: AnthropicCall): Promise<ProviderRequest> {
      const counting = call.path.startsWith('/v1/messages/count_tokens');
      const specifier = call.body?.stream === true ? 'streamRawPredict' : 'rawPredict';
      const path = counting ? `${root}/count-tokens:rawPredict` : `${root}/${encodeURIComponent(call.model ?? '')}:${specifier}`;
      const headers = cloudHeaders(call.headers);
      headers.authorization = `Bearer ${await tokens()}`;
      return { path, headers, body: vertexBody(call, counting) };
    },
    async adapt(response: UpstreamResponse): Promise<UpstreamResponse> {
      if (response.statusCode === 200) return response;
      const body = vertexErrorBody(response.statusCode, await response.body.text());
      return textResponse(response, response.statusCode, JSON.stringify(body), { 'content-type': 'application/json' });
    },
  };
}
