// Four upstreams at once behind one listening gateway: two Anthropic-shaped fakes (each with its own key), a
// fake Bedrock and a fake Vertex in front of the same fake logic, reached through base-URL overrides.
import type { UpstreamConfig } from '../../src/config/upstreams.ts';
import { startFakeAnthropic, type FakeAnthropic } from '../fake-anthropic/server.ts';
import { AWS_KEYS, AWS_REGION, startFakeBedrock } from '../fake-cloud/bedrock.ts';
import type { FakeCloud } from '../fake-cloud/front.ts';
import { startFakeVertex, VERTEX_PROJECT, VERTEX_REGION, VERTEX_TOKEN } from '../fake-cloud/vertex.ts';
import { startHarness, UPSTREAM_KEY, type Harness, type HarnessOptions } from './harness.ts';

export const SECOND_KEY = 'sk-ant-fake-second-account';

export interface UpstreamLab {
  h: Harness;
  /** Upstream "primary" (the harness's own fake). */
  primary: FakeAnthropic;
  /** Upstream "secondary", another Anthropic account. */
  secondary: FakeAnthropic;
  bedrock: FakeCloud;
  vertex: FakeCloud;
  close(): Promise<void>;
}

export interface LabOptions {
  /** Which upstreams the gateway is given, and their weights (all four with weight 1 when absent). */
  weights?: Partial<Record<'primary' | 'secondary' | 'bedrock' | 'vertex' | 'foundry', number>>;
  harness?: HarnessOptions;
}

export function labUpstreams(urls: { primary: string; secondary: string; bedrock: string; vertex: string }, weights: LabOptions['weights']): UpstreamConfig[] {
  const all: UpstreamConfig[] = [
    { name: 'primary', provider: 'anthropic', weight: 1, models: undefined, baseUrl: urls.primary, priceMultiplier: 1, credentials: { apiKey: UPSTREAM_KEY } },
    { name: 'secondary', provider: 'anthropic', weight: 1, models: undefined, baseUrl: urls.secondary, priceMultiplier: 1, credentials: { apiKey: SECOND_KEY } },
    { name: 'bedrock', provider: 'bedrock', weight: 1, models: undefined, baseUrl: urls.bedrock, priceMultiplier: 1.1, credentials: { region: AWS_REGION, ...AWS_KEYS } },
    { name: 'vertex', provider: 'vertex', weight: 1, models: undefined, baseUrl: `${urls.vertex}/v1`, priceMultiplier: 1.1, credentials: { projectId: VERTEX_PROJECT, region: VERTEX_REGION, accessToken: VERTEX_TOKEN } },
  ];
  // Foundry speaks the Messages API under its resource's /anthropic path, with the resource's key.
  all.push({ name: 'foundry', provider: 'foundry', weight: 1, models: undefined, baseUrl: urls.primary, priceMultiplier: 1, credentials: { apiKey: UPSTREAM_KEY } });
  if (!weights) return all.filter((u) => u.name !== 'foundry');
  return all.filter((u) => weights[u.name as keyof typeof weights] !== undefined).map((u) => ({ ...u, weight: weights[u.name as keyof typeof weights]! }));
}

export async function startUpstreamLab(options: LabOptions = {}): Promise<UpstreamLab> {
  const [primary, secondary, bedrock, vertex] = await Promise.all([
    startFakeAnthropic({ apiKey: UPSTREAM_KEY }),
    startFakeAnthropic({ apiKey: SECOND_KEY }),
    startFakeBedrock(),
    startFakeVertex(),
  ]);
  const upstreams = labUpstreams({ primary: primary.url, secondary: secondary.url, bedrock: bedrock.url, vertex: vertex.url }, options.weights);
  // The harness's own fake stays unused: every call goes to the configured upstreams.
  const h = await startHarness({ listen: true, ...options.harness, config: { ...options.harness?.config, upstreams } });
  return {
    h,
    primary,
    secondary,
    bedrock,
    vertex,
    async close() {
      await h.close();
      await Promise.all([primary.close(), secondary.close(), bedrock.close(), vertex.close()]);
    },
  };
}
