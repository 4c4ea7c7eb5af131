// Loads the non-streaming golden fixtures: an Anthropic Message and the translation expected from it.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Message } from '@anthropic-ai/sdk/resources/messages';
import type { TranslatedResponse } from '../../src/translate/response.ts';

const RESPONSE_FIXTURES = fileURLToPath(new URL('../fixtures/response/', import.meta.url));

export interface ResponseFixture {
  context?: { customToolNames?: string[] };
  message: Message;
  expected: TranslatedResponse;
}

export function responseFixtures(): Array<[string, ResponseFixture]> {
  return readdirSync(RESPONSE_FIXTURES)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => [name, JSON.parse(readFileSync(RESPONSE_FIXTURES + name, 'utf8')) as ResponseFixture]);
}
