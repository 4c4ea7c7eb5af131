// response_format → Anthropic. A JSON schema goes to `output_config.format` on models with structured outputs
// (adapted to the supported subset); elsewhere, and for json_object, a system instruction asks for the JSON.
// The instruction is the last system block, so the system prefix before it stays cacheable.
import type { JSONOutputFormat } from '@anthropic-ai/sdk/resources/messages';
import type { ModelCapabilities } from '../models/catalog.ts';
import type { Adjustments } from './adjustments.ts';
import type { ChatRequest } from './openai-types.ts';
import { adaptSchema } from './structured-schema.ts';

export interface TranslatedFormat {
  format?: JSONOutputFormat;
  systemInstruction?: string;
}

export const JSON_OBJECT_INSTRUCTION =
  'Respond with a single valid JSON object and nothing else: no prose before or after it, no Markdown code fences.';

export function translateResponseFormat(req: ChatRequest, caps: ModelCapabilities, notes: Adjustments): TranslatedFormat {
  const format = req.response_format;
  if (!format || format.type === 'text') return {};
  const schema = format.type === 'json_schema' ? format.json_schema?.schema : undefined;
  if (!schema) return { systemInstruction: JSON_OBJECT_INSTRUCTION };

  if (caps.structuredOutputs) {
    const adapted = adaptSchema(schema);
    if (adapted.changes.length > 0) {
      notes.add(`response_format schema adapted for structured outputs (${adapted.changes.join(', ')})`);
    }
    return { format: { type: 'json_schema', schema: adapted.schema } };
  }
  notes.add(`response_format json_schema sent as an instruction (${caps.id} has no structured outputs)`);
  const name = format.json_schema?.name ? ` named "${format.json_schema.name}"` : '';
  return {
    systemInstruction:
      `Respond with a single JSON value${name} that conforms to the JSON Schema below, and nothing else: ` +
      `no prose before or after it, no Markdown code fences.\n${JSON.stringify(schema)}`,
  };
}
