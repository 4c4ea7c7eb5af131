import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { MessageCreateParams, MessageParam } from '@anthropic-ai/sdk/resources/messages';
import { dropTarget, pruneRequest, stableChunks } from '../../src/reduce/prune.ts';
import { messageTokens } from '../../src/reduce/tokens.ts';
import { MemorySummaryCache } from '../../src/reduce/summary.ts';
import { clineSession, request, toolSession } from './conversations.ts';

const OPTIONS = { maxTokens: 6000, keepRecentMessages: 4 };

function pairsIntact(messages: readonly MessageParam[]): boolean {
  const open = new Set<string>();
  for (const m of messages) {
    if (typeof m.content === 'string') continue;
    for (const b of m.content) {
      if (b.type === 'tool_use') open.add(b.id);
      if (b.type === 'tool_result' && !open.delete(b.tool_use_id)) return false;
    }
  }
  return open.size === 0;
}

function firstText(params: MessageCreateParams): string {
  const c = params.messages[0]!.content;
  return typeof c === 'string' ? c : c.map((b) => (b.type === 'text' ? b.text : '')).join('\n');
}

describe('prune: whole stable chunks give way to a summary', () => {
  test('nothing happens under the limit', () => {
    const params = request(clineSession(3));
    assert.equal(pruneRequest(params, { maxTokens: 100_000, keepRecentMessages: 4 }).params, params);
  });

  test('the amount to drop moves in steps of half the limit', () => {
    assert.equal(dropTarget(5000, 6000), 0);
    assert.equal(dropTarget(6001, 6000), 3000);
    assert.equal(dropTarget(8999, 6000), 3000);
    assert.equal(dropTarget(9000, 6000), 6000);
  });

  test('chunk boundaries never move as the conversation grows', () => {
    const messages = clineSession(30);
    const tokens = messages.map(messageTokens);
    const early = stableChunks(messages.slice(0, 40), tokens, 36, 2000);
    const late = stableChunks(messages, tokens, 56, 2000);
    assert.ok(early.length >= 3);
    assert.deepEqual(late.slice(0, early.length), early);
    for (const chunk of late) assert.equal(messages[chunk.start]!.role, 'assistant');
  });

  test('keeps the task, the recent turns and the user\'s words; never splits a tool call from its result', () => {
    const params = request(toolSession(24));
    const { params: out, droppedMessages } = pruneRequest(params, OPTIONS);
    assert.ok(droppedMessages > 0);
    assert.ok(pairsIntact(out.messages));
    assert.deepEqual(out.messages.slice(-4), params.messages.slice(-4));
    assert.ok(firstText(out).startsWith('Fix the failing test in src/app.py.'));
    assert.match(firstText(out), /\[gateway: messages 2 to \d+ of this conversation were condensed/);
    assert.match(firstText(out), /- tool result: """A small command-line tool/);
    assert.match(firstText(out), /Error: test_verbose failed at step 2/);
    assert.equal(out.messages[1]!.role, 'assistant');
  });

  test('user feedback in condensed turns is kept verbatim', () => {
    const { params: out } = pruneRequest(request(clineSession(30)), OPTIONS);
    assert.match(firstText(out), /- user said \(verbatim\): <feedback>\nPlease also keep the old --quiet flag working \(turn 5\)\.\n<\/feedback>/);
  });

  test('the rewritten prefix is the same for every turn between two steps', () => {
    const full = clineSession(40);
    const firsts = new Map<string, number>();
    for (let n = 20; n <= full.length; n += 2) {
      const out = pruneRequest(request(full.slice(0, n + 1)), { maxTokens: 20_000, keepRecentMessages: 4 }).params;
      const key = JSON.stringify(out.messages[0]);
      firsts.set(key, (firsts.get(key) ?? 0) + 1);
    }
    // About 36k tokens of growth over 30 turns, steps of 10k: a handful of versions, each held for several turns.
    assert.ok(firsts.size >= 2 && firsts.size <= 6, `versions: ${firsts.size}`);
    assert.ok([...firsts.values()].every((n) => n >= 2));
  });

  test('a pinned summary is reused, and a prefetched model summary is used when a chunk is first condensed', async () => {
    const summaries = new MemorySummaryCache(async (text) => `MODEL SUMMARY of ${text.length} chars`);
    const messages = toolSession(30);
    // Turn by turn, as an agent grows its conversation: the chunk next in line is summarised in the background.
    const sent: string[] = [];
    for (let n = 3; n <= messages.length; n += 2) {
      sent.push(firstText(pruneRequest(request(messages.slice(0, n)), OPTIONS, { summaries }).params));
      await summaries.settled();
    }
    const last = sent[sent.length - 1]!;
    assert.match(last, /MODEL SUMMARY of \d+ chars/);
    // Chunks condensed before their model summary existed keep their extractive summary.
    assert.match(last, /- assistant: Step 1: reading the file/);
    const again = pruneRequest(request(messages), OPTIONS, { summaries });
    assert.equal(firstText(again.params), last);
  });
});
