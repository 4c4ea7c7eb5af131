// Golden request fixtures: proxy/test/fixtures/request/<name>.request.json is a client body, <name>.expected.json
// what the translation must produce for it: `{params, adjustments, includeUsage, customToolNames}`, or
// `{error: {status, param, message}}`. Optional sidecars: <name>.thinking.json (tool call id → kept thinking
// blocks, served by the thinking lookup) and <name>.options.json (`model`, `capabilities` overrides).
// The upstream model is the body's `model` unless options say otherwise.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GatewayError } from '../../src/errors.ts';
import { capabilitiesFor, type ModelCapabilities } from '../../src/models/catalog.ts';
import { normalizeChatRequest } from '../../src/translate/normalize.ts';
import { toAnthropicRequest } from '../../src/translate/request.ts';
import type { KeptThinkingBlock } from '../../src/translate/thinking.ts';

export const REQUEST_FIXTURE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'request');

export interface FixtureOptions {
  model?: string;
  capabilities?: Partial<ModelCapabilities>;
}

export interface RequestFixture {
  name: string;
  body: unknown;
  thinking?: Record<string, KeptThinkingBlock[]>;
  options?: FixtureOptions;
  expected: unknown;
}

export type FixtureOutcome =
  | { params: unknown; adjustments: string[]; includeUsage: boolean; customToolNames: string[] }
  | { error: { status: number; param: string | null; message: string } };

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

export function loadRequestFixtures(dir = REQUEST_FIXTURE_DIR): RequestFixture[] {
  const names = readdirSync(dir)
    .filter((f) => f.endsWith('.request.json'))
    .map((f) => f.slice(0, -'.request.json'.length))
    .sort();
  return names.map((name) => {
    const sidecar = (kind: string) => {
      const path = join(dir, `${name}.${kind}.json`);
      return existsSync(path) ? readJson(path) : undefined;
    };
    const expectedPath = join(dir, `${name}.expected.json`);
    if (!existsSync(expectedPath)) throw new Error(`fixture ${name} has no ${name}.expected.json`);
    return {
      name,
      body: readJson(join(dir, `${name}.request.json`)),
      thinking: sidecar('thinking') as RequestFixture['thinking'],
      options: sidecar('options') as FixtureOptions | undefined,
      expected: readJson(expectedPath),
    };
  });
}

/** Normalizes and translates a fixture body the way the chat route does, catching the gateway's 400s. */
export function runRequestFixture(fixture: Pick<RequestFixture, 'body' | 'thinking' | 'options'>): FixtureOutcome {
  try {
    const chat = normalizeChatRequest(fixture.body);
    const model = fixture.options?.model ?? chat.model;
    const capabilities = { ...capabilitiesFor(model), ...fixture.options?.capabilities };
    const thinking = fixture.thinking;
    const translated = toAnthropicRequest(chat, {
      model,
      capabilities,
      lookupThinking: thinking ? (id) => thinking[id] : undefined,
    });
    return {
      params: translated.params,
      adjustments: translated.adjustments,
      includeUsage: translated.includeUsage,
      customToolNames: translated.customToolNames,
    };
  } catch (error) {
    if (error instanceof GatewayError) return { error: { status: error.status, param: error.param, message: error.message } };
    throw error;
  }
}

/** Freezes a parsed JSON value throughout, so a translation that writes into its input throws. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as Record<string, unknown>)) deepFreeze(child);
  }
  return value;
}
