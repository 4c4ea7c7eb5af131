// Cline keeps its settings in JSON files shared by its VS Code, JetBrains and CLI builds: ~/.cline/data/
// globalState.json (provider, base URL, model per mode) and secrets.json (keys, owner-only). Its "OpenAI
// Compatible" provider is the id "openai".
import { join } from 'node:path';
import type { FileEdit } from './file-edit.ts';
import type { GatewayEndpoint } from './gateway-endpoint.ts';

type Json = Record<string, unknown>;

function parseObject(text: string | undefined, what: string): Json {
  if (text === undefined || text.trim() === '') return {};
  const value = JSON.parse(text) as unknown;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${what} is not a JSON object`);
  return value as Json;
}

/** Cline writes these files with two-space indentation; so do we. */
function format(value: Json): string {
  return JSON.stringify(value, null, 2);
}

function setFields(current: string | undefined, fields: Json, what: string): string {
  return format({ ...parseObject(current, what), ...fields });
}

/** Our fields taken out: each goes back to its value before us, or away if it had none. */
function unsetFields(current: string, original: string | undefined, fields: Json, what: string): string {
  const now = parseObject(current, what);
  const before = parseObject(original, what);
  for (const [key, value] of Object.entries(fields)) {
    if (JSON.stringify(now[key]) !== JSON.stringify(value)) continue; // changed since: the user's choice now
    if (key in before) now[key] = before[key];
    else delete now[key];
  }
  return format(now);
}

export function clineStateFields(endpoint: GatewayEndpoint): Json {
  const model = endpoint.models[0]!;
  return {
    actModeApiProvider: 'openai',
    planModeApiProvider: 'openai',
    openAiBaseUrl: endpoint.baseUrl,
    actModeOpenAiModelId: model,
    planModeOpenAiModelId: model,
  };
}

export function clineEdits(dataDir: string, endpoint: GatewayEndpoint): FileEdit[] {
  const state = clineStateFields(endpoint);
  const secrets = { openAiApiKey: endpoint.apiKey };
  return [
    {
      id: 'cline.global-state',
      path: join(dataDir, 'globalState.json'),
      apply: (current) => setFields(current, state, 'Cline globalState.json'),
      remove: (current, original) => unsetFields(current, original, state, 'Cline globalState.json'),
    },
    {
      id: 'cline.secrets',
      path: join(dataDir, 'secrets.json'),
      mode: 0o600,
      apply: (current) => setFields(current, secrets, 'Cline secrets.json'),
      remove: (current, original) => unsetFields(current, original, secrets, 'Cline secrets.json'),
    },
  ];
}
