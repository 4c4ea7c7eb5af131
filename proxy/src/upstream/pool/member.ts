// One configured upstream inside the pool: its provider, its connection pool, the models it serves, what its
// rate-limit headers last said, and its traffic counters for /health, metrics and the dashboard.
import { Pool } from 'undici';
import type { UpstreamConfig } from '../../config/upstreams.ts';
import type { UpstreamRequest, UpstreamResponse } from '../upstream.ts';
import { createProvider, type Provider } from '../providers/index.ts';
import type { AnthropicCall } from '../providers/provider.ts';
import type { Capacity } from '../rate-limit-headers.ts';
import type { MemberTraffic } from './status-types.ts';

export type { FaultClass, MemberTraffic } from './status-types.ts';

export interface Member {
  readonly config: UpstreamConfig;
  readonly provider: Provider;
  capacity: Capacity | undefined;
  readonly traffic: MemberTraffic;
  /** The provider's id for a gateway model, or undefined when this upstream does not serve it. */
  modelId(model: string | undefined): string | undefined;
  send(call: AnthropicCall, request: UpstreamRequest): Promise<UpstreamResponse>;
  close(): Promise<void>;
}

export interface MemberOptions {
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  connections?: number;
  /** Replaces the configured provider (tests inject signers and token sources). */
  provider?: Provider;
}

export function createMember(config: UpstreamConfig, options: MemberOptions): Member {
  const provider = options.provider ?? createProvider(config);
  const base = new URL(provider.baseUrl);
  const basePath = base.pathname.replace(/\/+$/, '');
  const pool = new Pool(base.origin, {
    connections: options.connections ?? 128,
    keepAliveTimeout: 30_000,
    headersTimeout: options.headersTimeoutMs,
    bodyTimeout: options.bodyTimeoutMs,
  });
  const traffic: MemberTraffic = { requests: 0, answered: 0, failovers: { rate_limited: 0, overloaded: 0, server_error: 0, connection: 0 }, lastError: null, lastErrorAt: null };
  return {
    config,
    provider,
    capacity: undefined,
    traffic,
    modelId(model) {
      if (model === undefined) return undefined;
      if (!config.models) return provider.defaultModelId(model);
      if (!(model in config.models)) return undefined;
      return config.models[model] ?? provider.defaultModelId(model);
    },
    async send(call, request) {
      traffic.requests++;
      const prepared = await provider.prepare(call);
      const response = await pool.request({
        method: call.method,
        path: basePath + prepared.path,
        headers: prepared.headers,
        body: prepared.body,
        signal: request.signal,
        headersTimeout: request.headersTimeoutMs ?? options.headersTimeoutMs,
        bodyTimeout: options.bodyTimeoutMs,
      });
      return provider.adapt(response);
    },
    close: () => pool.close(),
  };
}
