// temperature, top_p and top_k, fitted to what the model accepts. OpenAI's temperature runs 0..2, Anthropic's
// 0..1: values above 1 are clamped. Newer models reject every sampling parameter; the 4.5–4.6 generation takes
// temperature or top_p but not both (temperature wins: it is what clients mean to set); with thinking on,
// Anthropic allows temperature only at 1 and top_p only from 0.95, and no top_k. Anthropic's top_p must be above 0.
import type { ModelCapabilities } from '../models/catalog.ts';
import type { Adjustments } from './adjustments.ts';
import { given } from './json-values.ts';
import type { ChatRequest } from './openai-types.ts';

export interface Sampling {
  temperature?: number;
  top_p?: number;
  top_k?: number;
}

const THINKING_MIN_TOP_P = 0.95;

export function translateSampling(req: ChatRequest, caps: ModelCapabilities, thinking: boolean, notes: Adjustments): Sampling {
  const out: Sampling = {};
  const asked = {
    temperature: given(req.temperature) ? req.temperature : undefined,
    top_p: given(req.top_p) ? req.top_p : undefined,
    top_k: given(req.top_k) ? req.top_k : undefined,
  };
  if (caps.sampling === 'none') {
    for (const [name, value] of Object.entries(asked)) {
      if (value !== undefined) notes.add(`${name} dropped (${caps.id} does not accept sampling parameters)`);
    }
    return out;
  }

  if (asked.temperature !== undefined) {
    let t = asked.temperature;
    if (t > 1) {
      notes.add(`temperature ${t} clamped to 1 (Anthropic's range is 0 to 1)`);
      t = 1;
    }
    if (thinking && t !== 1) notes.add(`temperature dropped (${caps.id} requires the default temperature while thinking)`);
    else out.temperature = t;
  }
  if (asked.top_p !== undefined) {
    if (caps.sampling === 'exclusive' && out.temperature !== undefined) {
      notes.add(`top_p dropped (${caps.id} accepts temperature or top_p, not both)`);
    } else if (thinking && asked.top_p < THINKING_MIN_TOP_P) {
      notes.add(`top_p dropped (${caps.id} requires top_p of at least ${THINKING_MIN_TOP_P} while thinking)`);
    } else if (asked.top_p <= 0) {
      // OpenAI's top_p 0 keeps only the most likely token; Anthropic refuses 0, and temperature 0 means the same.
      notes.add('top_p 0 sent as temperature 0 (Anthropic requires top_p above 0)');
      out.temperature ??= 0;
    } else {
      out.top_p = asked.top_p;
    }
  }
  if (asked.top_k !== undefined) {
    if (thinking) notes.add(`top_k dropped (${caps.id} does not accept top_k while thinking)`);
    else out.top_k = asked.top_k;
  }
  return out;
}
