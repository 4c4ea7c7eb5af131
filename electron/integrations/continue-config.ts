// Continue: model entries in ~/.continue/config.yaml. Each entry uses Continue's OpenAI provider with the
// gateway's apiBase and key, and declares tool_use and image_input: without them Continue falls back to
// text-based tool calls for model names it does not recognise as GPT.
import { join } from 'node:path';
import { isMap, isSeq, parseDocument, YAMLSeq } from 'yaml';
import type { FileEdit } from './file-edit.ts';
import type { GatewayEndpoint } from './gateway-endpoint.ts';

export const CONTINUE_ENTRY_SUFFIX = '(Coding Gateway)';
const ALIASES = ['sonnet', 'opus', 'haiku'] as const;

function entryName(alias: string): string {
  return `Claude ${alias[0]!.toUpperCase()}${alias.slice(1)} ${CONTINUE_ENTRY_SUFFIX}`;
}

function ours(item: unknown): boolean {
  if (!isMap(item)) return false;
  const name = item.get('name');
  return typeof name === 'string' && name.endsWith(CONTINUE_ENTRY_SUFFIX);
}

export function continueEntries(endpoint: GatewayEndpoint, prefix: string) {
  return ALIASES.map((alias) => ({
    name: entryName(alias),
    provider: 'openai',
    model: `${prefix}${alias}`,
    apiBase: endpoint.baseUrl,
    apiKey: endpoint.apiKey,
    roles: ['chat', 'edit', 'apply'],
    capabilities: ['tool_use', 'image_input'],
  }));
}

const NEW_FILE = 'name: Local Config\nversion: 1.0.0\nschema: v1\n';

export function applyContinueEntries(current: string | undefined, endpoint: GatewayEndpoint, prefix: string): string {
  const doc = parseDocument(current ?? NEW_FILE);
  if (doc.errors.length > 0) throw new Error(`~/.continue/config.yaml is not valid YAML: ${doc.errors[0]!.message}`);
  let models = doc.get('models');
  if (!isSeq(models)) {
    models = new YAMLSeq();
    doc.set('models', models);
  }
  const seq = models as YAMLSeq;
  seq.items = seq.items.filter((item) => !ours(item));
  for (const entry of continueEntries(endpoint, prefix)) seq.items.push(doc.createNode(entry));
  return doc.toString();
}

export function removeContinueEntries(current: string, original: string | undefined): string {
  const doc = parseDocument(current);
  const models = doc.get('models');
  if (isSeq(models)) {
    models.items = models.items.filter((item) => !ours(item));
    const hadModels = original !== undefined && isSeq(parseDocument(original).get('models'));
    if (models.items.length === 0 && !hadModels) doc.delete('models');
  }
  return doc.toString();
}

export function continueEdit(configDir: string, endpoint: GatewayEndpoint, prefix: string): FileEdit {
  return {
    id: 'continue.config-yaml',
    path: join(configDir, 'config.yaml'),
    apply: (current) => applyContinueEntries(current, endpoint, prefix),
    remove: (current, original) => removeContinueEntries(current, original),
  };
}
