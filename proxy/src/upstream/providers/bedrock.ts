// Amazon Bedrock's InvokeModel API for Claude: POST /model/{modelId}/invoke (or invoke-with-response-stream),
// the model in the path instead of the body, `anthropic_version: "bedrock-2023-05-31"` and the betas in the
// body, SigV4 (or a Bedrock API key as a bearer token), and the stream in AWS event-stream framing.
import type { BedrockCredentials } from '../../config/upstreams.ts';
import type { UpstreamResponse } from '../upstream.ts';
import { createAwsSigner, type RequestSigner } from './aws-signer.ts';
import { bedrockStreamToSse } from './bedrock-stream.ts';
import { bedrockErrorBody } from './cloud-errors.ts';
import { bedrockModelId } from './model-ids.ts';
import { cloudHeaders, type AnthropicCall, type Provider, type ProviderRequest } from './provider.ts';
import { streamResponse, textResponse } from './response-body.ts';

export const BEDROCK_VERSION = 'bedrock-2023-05-31';

export interface BedrockOptions {
  credentials: BedrockCredentials;
  baseUrl?: string;
  /** Replaces SigV4 in tests that check signing themselves. */
  signer?: RequestSigner;
}

function header(headers: UpstreamResponse['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function bedrockBody(call: AnthropicCall): string {
  const { model: _model, stream: _stream, ...rest } = call.body ?? {};
  const body: Record<string, unknown> = { anthropic_version: BEDROCK_VERSION, ...rest };
  const betas = call.headers['anthropic-beta'];
  if (betas && body.anthropic_beta === undefined) body.anthropic_beta = betas.split(',').map((b) => b.trim()).filter(Boolean);
  return JSON.stringify(body);
}

export function createBedrockProvider(options: BedrockOptions): Provider {
  const credentials = options.credentials;
  const baseUrl = options.baseUrl ?? `https://bedrock-runtime.${credentials.region}.amazonaws.com`;
  const sign = credentials.apiKey ? undefined : (options.signer ?? createAwsSigner(credentials));
  return {
    baseUrl,
    serves: (method, path) => method === 'POST' && /^\/v1\/messages(\?|$)/.test(path),
    defaultModelId: (model) => bedrockModelId(model, credentials.inferenceProfile),
    async prepare(call: AnthropicCall): Promise<ProviderRequest> {
      const stream = call.body?.stream === true;
      const path = `/model/${encodeURIComponent(call.model ?? '')}/${stream ? 'invoke-with-response-stream' : 'invoke'}`;
      const body = bedrockBody(call);
      const headers = cloudHeaders(call.headers);
      delete headers['anthropic-beta'];
      headers.accept = stream ? 'application/vnd.amazon.eventstream' : 'application/json';
      if (credentials.apiKey) headers.authorization = `Bearer ${credentials.apiKey}`;
      else Object.assign(headers, await sign!({ method: 'POST', url: new URL(new URL(baseUrl).pathname.replace(/\/$/, '') + path, baseUrl), headers, body }));
      return { path, headers, body };
    },
    async adapt(response: UpstreamResponse): Promise<UpstreamResponse> {
      if (response.statusCode !== 200) {
        const text = await response.body.text();
        const body = bedrockErrorBody(response.statusCode, text, header(response.headers, 'x-amzn-errortype'));
        return textResponse(response, response.statusCode, JSON.stringify(body), { 'content-type': 'application/json' });
      }
      if (!String(header(response.headers, 'content-type') ?? '').includes('application/vnd.amazon.eventstream')) return response;
      return streamResponse(response, bedrockStreamToSse(response.body), { 'content-type': 'text/event-stream; charset=utf-8' });
    },
  };
}
