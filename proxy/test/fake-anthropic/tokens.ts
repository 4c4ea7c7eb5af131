// A deterministic, cheap stand-in for Anthropic's tokenizer: about one token per four characters of a
// block's JSON, with images and PDFs charged by size instead of by their base64 text.
// The same numbers feed usage.input_tokens, count_tokens and output_tokens, so they always agree.

export const CHARS_PER_TOKEN = 4;

export function textTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

/** Decoded size of a base64 string without decoding it. */
function base64Bytes(data: string): number {
  let padding = 0;
  if (data.endsWith('==')) padding = 2;
  else if (data.endsWith('=')) padding = 1;
  return Math.max(0, Math.floor((data.length * 3) / 4) - padding);
}

/** An image costs roughly what a mid-sized picture costs, scaled by its size and capped like the API's resizing. */
export function imageTokens(source: any): number {
  if (source?.type === 'base64' && typeof source.data === 'string') {
    return Math.min(1600, Math.max(85, Math.ceil(base64Bytes(source.data) / 100)));
  }
  return 1000;
}

/** A PDF costs by size; a text or content document costs its characters like any text. */
function documentMediaTokens(source: any): number | undefined {
  if (source?.type === 'base64' && typeof source.data === 'string') return Math.max(100, Math.ceil(base64Bytes(source.data) / 40));
  if (source?.type === 'url' || source?.type === 'file') return 2000;
  return undefined;
}

function hasMedia(json: string): boolean {
  return json.includes('"type":"image"') || json.includes('"type":"document"');
}

/**
 * Tokens of one block given its canonical JSON. Media is swapped for a small placeholder and charged by
 * size, so a large screenshot costs what an image costs rather than a quarter of its base64 length.
 */
export function blockTokens(block: unknown, canonicalJson: string): number {
  if (!hasMedia(canonicalJson)) return Math.max(1, textTokens(canonicalJson));
  let media = 0;
  const stripped = JSON.stringify(block, (_key, value) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      if (value.type === 'image') {
        media += imageTokens(value.source);
        return { type: 'image' };
      }
      if (value.type === 'document') {
        const cost = documentMediaTokens(value.source);
        if (cost !== undefined) {
          media += cost;
          const { source: _source, ...rest } = value;
          return rest;
        }
      }
    }
    return value;
  });
  return Math.max(1, textTokens(stripped) + media);
}

/** Output tokens of generated content; never zero for a non-empty answer, like the real API. */
export function outputTokensOf(content: ReadonlyArray<{ type: string; [k: string]: any }>, hiddenThinking: number): number {
  let total = hiddenThinking;
  for (const block of content) {
    if (block.type === 'text') total += textTokens(block.text);
    else if (block.type === 'thinking') total += textTokens(block.thinking);
    else if (block.type === 'tool_use') total += textTokens(block.name) + textTokens(JSON.stringify(block.input ?? {})) + 3;
    else if (block.type === 'redacted_thinking') total += 16;
  }
  return Math.max(1, total);
}
