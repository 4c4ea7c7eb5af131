// Finds what is worth remembering in one exchange. Pure: text in, candidates out.
//
// From the user's newest message: sentences that state a requirement ("must", "should", "never", "always",
// "make sure", an imperative "don't …"), a decision ("we decided", "let's use", "from now on", "instead of")
// or ask to be remembered ("remember that …", "note: …"). Questions, code, IDE boilerplate and tool output
// are skipped.
// From the assistant: only an answer that ends the exchange (no tool calls, finished normally), and only its
// paragraphs that state an outcome: a root cause, the fix, a recommendation or decision, a summary.
import type { MemoryCandidate, MemoryKind } from './memory-types.ts';

const MIN_CHARS = 15;
const MAX_SENTENCE_CHARS = 400;
const MAX_ANSWER_CHARS = 500;
const MAX_FROM_USER = 5;
const MAX_FROM_ANSWER = 2;

// Sections IDE agents add to user turns (state, file bodies, reminders) and the gateway's own memory block:
// never the user's own words, and a recalled memory must not be remembered again as new.
const NOISE_SECTIONS =
  /<(environment_details|file_content|final_file_content|system_reminder|system-reminder|explicit_instructions|feedback_context|gateway_memory)\b[^>]*>[\s\S]*?(?:<\/\1>|$)/gi;
const ANY_TAG = /<\/?[A-Za-z][\w-]*(?:\s[^<>]*)?>/g;
const CODE_FENCE = /```[\s\S]*?(?:```|$)/g;
const INLINE_CODE = /`[^`\n]*`/g;
// Cline/Roo send tool output as user text: "[read_file for 'a.ts'] Result:".
const TOOL_OUTPUT = /^\s*\[[^\]\n]{1,200}\] Result:/;

const NOTE = /^(?:please\s+)?(?:remember|note|keep in mind|fyi)\b|\bremember (?:that|to)\b/i;
const DECISION =
  /\b(?:we(?:'ve| have)? decided|decided to|let'?s (?:go with|use|stick with|keep)|we(?:'ll| will) (?:use|go with|keep)|going forward|from now on|instead of|the plan is|we chose|we picked|switch(?:ed)? (?:over )?to)\b/i;
const REQUIREMENT_ANYWHERE =
  /\b(?:must|mustn't|shall|should|shouldn't|needs? to|has to|have to|is required|are required|requirement|make sure|ensure that|only use|do not use|don't use|never use|always use)\b/i;
const REQUIREMENT_IMPERATIVE = /^(?:please\s+)?(?:do not|don't|never|always|avoid|prefer|use|keep|make sure|ensure)\b/i;

const OUTCOME =
  /\b(?:root cause|the (?:fix|solution|problem|issue|cause) (?:is|was)|(?:i|we) (?:recommend|decided|chose|went with|will use|suggest using)|in (?:summary|conclusion)|to summari[sz]e|key (?:decision|takeaway)s?|going forward|from now on)\b|^(?:important|note|decision|summary):/im;
const ANSWER_DECISION = /\b(?:decided|chose|went with|will use|recommend|going forward|from now on|decision)\b/i;

/** The user-written text of a message: IDE sections, tags, code and tool output removed. */
export function humanText(text: string): string {
  if (TOOL_OUTPUT.test(text)) return '';
  return text.replace(NOISE_SECTIONS, ' ').replace(CODE_FENCE, ' ').replace(ANY_TAG, ' ').replace(INLINE_CODE, (m) => m.slice(1, -1));
}

export function sentencesOf(text: string): string[] {
  return text
    .split(/\n+/)
    .flatMap((line) => line.split(/(?<=[.!?])\s+(?=[A-Z"'(])/))
    .map((s) => s.replace(/^\s*(?:[-*•>]|\d+[.)])\s+/, '').replace(/\s+/g, ' ').trim())
    .filter((s) => s !== '');
}

function looksLikeCode(sentence: string): boolean {
  const symbols = (sentence.match(/[{}();=<>[\]$\\]/g) ?? []).length;
  return symbols / sentence.length > 0.08;
}

function statementKind(sentence: string): MemoryKind | undefined {
  if (sentence.length < MIN_CHARS || sentence.length > MAX_SENTENCE_CHARS) return undefined;
  if (sentence.endsWith('?') || sentence.split(' ').length < 4 || looksLikeCode(sentence)) return undefined;
  if (NOTE.test(sentence)) return 'note';
  if (DECISION.test(sentence)) return 'decision';
  if (REQUIREMENT_IMPERATIVE.test(sentence) || REQUIREMENT_ANYWHERE.test(sentence)) return 'requirement';
  return undefined;
}

/** Requirements, decisions and explicit notes stated in a user's message. */
export function fromUserText(text: string): MemoryCandidate[] {
  const out: MemoryCandidate[] = [];
  const seen = new Set<string>();
  for (const sentence of sentencesOf(humanText(text))) {
    const kind = statementKind(sentence);
    if (!kind) continue;
    const text = sentence.replace(/^(?:please\s+)?(?:remember|note|keep in mind|fyi)\s*[:,-]?\s*(?:that\s+)?/i, '').trim();
    const key = normalizeForHash(text);
    if (text.length < MIN_CHARS || seen.has(key)) continue;
    seen.add(key);
    out.push({ kind, source: 'user', text: capitalize(text) });
    if (out.length >= MAX_FROM_USER) break;
  }
  return out;
}

export interface FinalAnswer {
  text: string;
  /** OpenAI finish_reason of the answer. */
  finishReason: string | null;
  /** Tool calls the answer made (an answer that calls tools has not ended the exchange). */
  toolCalls: number;
}

/** The paragraphs of a final answer that state an outcome; see the rules at the top of this file. */
export function fromAnswer(answer: FinalAnswer): MemoryCandidate[] {
  if (answer.toolCalls > 0 || answer.finishReason !== 'stop') return [];
  const out: MemoryCandidate[] = [];
  const paragraphs = answer.text.replace(NOISE_SECTIONS, '\n\n').replace(CODE_FENCE, '\n\n').split(/\n\s*\n/);
  for (const raw of paragraphs) {
    const paragraph = raw.replace(/\s+/g, ' ').trim();
    if (paragraph.length < 40 || looksLikeCode(paragraph) || !OUTCOME.test(raw.trim())) continue;
    out.push({ kind: ANSWER_DECISION.test(paragraph) ? 'decision' : 'answer', source: 'assistant', text: clip(paragraph, MAX_ANSWER_CHARS) });
    if (out.length >= MAX_FROM_ANSWER) break;
  }
  return out;
}

/** Lower case, letters and digits only, single spaces: what two copies of one statement share. */
export function normalizeForHash(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Cuts at the last sentence end that fits, else at a word. */
function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = text.slice(0, max);
  const end = Math.max(head.lastIndexOf('. '), head.lastIndexOf('! '));
  if (end > max / 2) return head.slice(0, end + 1);
  return `${head.slice(0, head.lastIndexOf(' '))} …`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
