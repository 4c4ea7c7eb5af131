// What reached the upstream: the share of the original content that arrived neither verbatim nor as a
// reference to a copy in the same request, and references with no such copy.
//
// Content is measured in characters of non-blank lines of every text the model reads (system, user and
// tool-result texts, assistant text and tool-call arguments). A line counts as delivered when the same line
// is anywhere in the upstream request: verbatim where it was, or in the earlier copy a checked reference
// points to. Every reference is checked separately (references.ts), so a line "delivered" through a
// reference is one whose copy is really there.
import type { MessageCreateParams } from '@anthropic-ai/sdk/resources/messages';
import { forEachText } from '../../src/reduce/content.ts';
import { checkReferences } from '../../src/reduce/references.ts';

export interface Fidelity {
  originalChars: number;
  lostChars: number;
  references: number;
  dangling: number;
}

function lineSet(params: MessageCreateParams): Set<string> {
  const set = new Set<string>();
  forEachText(params, ({ text }) => {
    for (const line of text.split('\n')) set.add(line.trim());
  });
  return set;
}

export function measureFidelity(original: MessageCreateParams, upstream: MessageCreateParams): Fidelity {
  const delivered = lineSet(upstream);
  let originalChars = 0;
  let lostChars = 0;
  forEachText(original, ({ text }) => {
    for (const raw of text.split('\n')) {
      const line = raw.trim();
      if (line === '') continue;
      originalChars += line.length;
      if (!delivered.has(line)) lostChars += line.length;
    }
  });
  const refs = checkReferences(upstream);
  return { originalChars, lostChars, references: refs.references, dangling: refs.dangling.length };
}
