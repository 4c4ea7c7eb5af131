// Layer 6, diff-first: a fixed instruction at the very end of the system prompt asking for targeted edits
// instead of whole-file rewrites (rewritten files are the largest outputs an agent produces, and they come
// back as input on every later turn). It is the same bytes on every request, so it sits inside the cached
// tools+system prefix and never disturbs it.
import type { MessageCreateParams, TextBlockParam } from '@anthropic-ai/sdk/resources/messages';
import { systemBlocks } from './content.ts';
import { IdentityMemo } from './identity-memo.ts';

export const DIFF_FIRST_INSTRUCTION =
  'When changing an existing file, make the smallest targeted edit (a search/replace, a patch or a diff of the changed lines) instead of rewriting the whole file, and show only the changed parts. Rewrite a whole file only when creating it or when most of it changes.';

// One extended system prompt per conversation, not per turn (see identity-memo.ts).
const extended = new IdentityMemo<TextBlockParam[] | undefined>();

export function appendDiffFirst(params: MessageCreateParams): MessageCreateParams {
  const system = extended.get(params.system, '', () => {
    const blocks = systemBlocks(params);
    if (blocks.some((block) => block.text === DIFF_FIRST_INSTRUCTION)) return undefined;
    return [...blocks, { type: 'text', text: DIFF_FIRST_INSTRUCTION }];
  });
  return system ? { ...params, system } : params;
}
