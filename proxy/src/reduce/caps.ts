// Layer 2, hard caps: a text longer than its cap keeps its head and its tail, cut at line ends, with a line
// in the middle saying how much was left out. The cut depends on the text alone, so it is the same every
// turn. Tool output read by text-protocol agents (Cline's "[tool] Result:", mini-swe-agent's <returncode>)
// counts as a tool result, as native tool_result blocks do.
import type { MessageCreateParams, MessageParam, TextBlockParam } from '@anthropic-ai/sdk/resources/messages';
import { looksLikeToolOutput, mapUserTexts, systemBlocks } from './content.ts';

export interface CapLimits {
  systemMaxChars: number;
  userMsgMaxChars: number;
  toolResultMaxChars: number;
}

/** Share of the kept characters taken from the head: the start of a file or log says what it is. */
const HEAD_SHARE = 0.6;
/** How far a cut may move to land on a line end. */
const SNAP_SHARE = 0.1;

/** `limit` names the setting that made the cut, so the model (and whoever reads the log) knows why. */
export function capText(text: string, max: number, what: string, limit?: string): string {
  if (max <= 0 || text.length <= max) return text;
  const keep = Math.max(0, max - 160);
  let head = Math.floor(keep * HEAD_SHARE);
  let tailStart = text.length - (keep - head);
  const headLine = text.lastIndexOf('\n', head);
  if (headLine >= 0 && head - headLine <= keep * SNAP_SHARE) head = headLine + 1;
  const tailLine = text.indexOf('\n', tailStart);
  if (tailLine >= 0 && tailLine - tailStart <= keep * SNAP_SHARE) tailStart = tailLine + 1;
  if (tailStart <= head) return text;
  const middle = text.slice(head, tailStart);
  const lines = middle.split('\n').length - (middle.endsWith('\n') ? 1 : 0);
  const why = limit ? ` to fit ${limit}` : '';
  const marker = `[gateway: ${middle.length} characters (${lines} lines) cut from the middle of this ${what}${why}; the first ${head} and the last ${text.length - tailStart} are kept]\n`;
  return text.slice(0, head) + (text[head - 1] === '\n' || head === 0 ? '' : '\n') + marker + text.slice(tailStart);
}

/** System blocks up to this size are never cut: they are short instructions, not the bulk. */
const SMALL_SYSTEM_BLOCK = 2000;

function capSystem(blocks: TextBlockParam[], max: number): TextBlockParam[] | undefined {
  const total = blocks.reduce((n, b) => n + b.text.length, 0);
  if (max <= 0 || total <= max) return undefined;
  // Short blocks stay whole; the long ones share what is left of the budget in proportion to their size.
  const small = blocks.reduce((n, b) => n + (b.text.length <= SMALL_SYSTEM_BLOCK ? b.text.length : 0), 0);
  const large = total - small;
  const budget = Math.max(0, max - small);
  return blocks.map((block) => {
    if (block.text.length <= SMALL_SYSTEM_BLOCK) return block;
    const text = capText(block.text, Math.floor((budget * block.text.length) / large), 'system prompt', `SYSTEM_MAX_CHARS=${max}`);
    return text === block.text ? block : { ...block, text };
  });
}

/** Caps one message's user-side texts (the same object back when nothing was over its limit). */
export function capMessage(message: MessageParam, limits: CapLimits): MessageParam {
  return mapUserTexts(message, (text, kind) =>
    kind === 'tool_result' || looksLikeToolOutput(text)
      ? capText(text, limits.toolResultMaxChars, 'tool result', `TOOL_RESULT_MAX_CHARS=${limits.toolResultMaxChars}`)
      : capText(text, limits.userMsgMaxChars, 'message', `USER_MSG_MAX_CHARS=${limits.userMsgMaxChars}`),
  );
}

/** The system prompt capped, or the request's own when it fits. */
export function capRequestSystem(params: MessageCreateParams, limits: CapLimits): MessageCreateParams {
  const system = capSystem(systemBlocks(params), limits.systemMaxChars);
  return system ? { ...params, system } : params;
}

export function capRequest(params: MessageCreateParams, limits: CapLimits): MessageCreateParams {
  const out = capRequestSystem(params, limits);
  let changed = false;
  const messages = out.messages.map((message) => {
    const next = capMessage(message, limits);
    if (next !== message) changed = true;
    return next;
  });
  return changed ? { ...out, messages } : out;
}
