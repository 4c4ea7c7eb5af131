// What the router measures in a request: the person's latest words (keywords, length), the work in the
// latest turn (files named, error traces) and the conversation's size. Pure: the same input, the same features.
import { matchKeywordGroups } from './keywords.ts';
import type { RoutingInput } from './routing-input.ts';

export interface RequestFeatures {
  /** Keyword groups found in the latest human message, in table order. */
  keywordGroups: string[];
  /** Length of the latest human message, in characters. */
  humanChars: number;
  /** Rough size of the whole request (system and every message), in tokens. */
  estimatedTokens: number;
  toolCount: number;
  /** Distinct files named in the latest turn (the human message and the tool output after it). */
  fileRefs: number;
  /** Error traces (stack traces, compiler errors) in the latest turn. */
  errorTraces: number;
  /** The last message is tool output: the assistant is in the middle of its turn. */
  midToolLoop: boolean;
}

const CODE_EXTENSIONS =
  'ts|tsx|js|jsx|mjs|cjs|py|go|rs|java|kt|kts|rb|php|cs|cpp|cc|cxx|c|h|hpp|swift|scala|sql|ya?ml|json|toml|md|sh|vue|svelte|css|scss|html|proto|tf|gradle|xml|ex|exs|erl|dart|lua';
const FILE_PATH = new RegExp(String.raw`(?:^|[\s\`'"(\[<:=])@?((?:[\w.-]+/)*[\w-]+\.(?:${CODE_EXTENSIONS}))(?=$|[\s\`'")\]>:,;.#])`, 'gim');
const AT_MENTION = /(?:^|\s)@([\w-]+(?:\/[\w.-]+)+)/gm;

const TRACE_HEADERS: readonly RegExp[] = [
  /Traceback \(most recent call last\)/g,
  /Exception in thread "/g,
  /^panic: /gm,
  /thread '[^']*' panicked at/g,
  /\berror\[E\d{4}\]/g,
];
const JS_FRAME = /^\s+at (?:.+ \()?(?:[\w.:/\\-]+):\d+:\d+\)?\s*$/gm;
const JAVA_FRAME = /^\s+at [\w.$<>]+\([\w$]+\.(?:java|kt|scala):\d+\)\s*$/gm;
const COMPILER_ERROR = /^[\w./\\-]+\.\w+[:(]\d+[:,]\d+\)?:? (?:error|fatal error)\b/gm;

function count(pattern: RegExp, text: string): number {
  pattern.lastIndex = 0;
  return text.match(pattern)?.length ?? 0;
}

export function countFileRefs(text: string): number {
  const files = new Set<string>();
  for (const pattern of [FILE_PATH, AT_MENTION]) {
    pattern.lastIndex = 0;
    for (const match of text.matchAll(pattern)) {
      const name = match[1]!;
      // "Node.js", "Vue.js": product names, not files.
      if (!name.includes('/') && /^[A-Z][a-z]+\.js$/.test(name)) continue;
      files.add(name.toLowerCase());
    }
  }
  return files.size;
}

export function countErrorTraces(text: string): number {
  let traces = TRACE_HEADERS.reduce((sum, pattern) => sum + count(pattern, text), 0);
  // Stack frames only make a trace when there are several of them.
  if (count(JS_FRAME, text) >= 2) traces += 1;
  if (count(JAVA_FRAME, text) >= 2 && count(/Exception in thread "/g, text) === 0) traces += 1;
  traces += Math.min(count(COMPILER_ERROR, text), 3);
  return Math.min(traces, 5);
}

export function extractFeatures(input: RoutingInput): RequestFeatures {
  const { messages } = input;
  let lastHuman = -1;
  for (let i = messages.length - 1; i >= 0; i--) {
    if (messages[i]!.human) {
      lastHuman = i;
      break;
    }
  }
  const humanText = lastHuman >= 0 ? messages[lastHuman]!.text : '';
  const turnText = messages
    .slice(Math.max(lastHuman, 0))
    .filter((m) => m.role !== 'assistant')
    .map((m) => m.text)
    .join('\n');
  const totalChars = input.system.length + messages.reduce((sum, m) => sum + m.text.length, 0);
  return {
    keywordGroups: matchKeywordGroups(humanText),
    humanChars: humanText.length,
    estimatedTokens: Math.ceil(totalChars / 4),
    toolCount: input.toolCount,
    fileRefs: countFileRefs(turnText),
    errorTraces: countErrorTraces(turnText),
    midToolLoop: messages.length > 0 && messages[messages.length - 1]!.role === 'tool',
  };
}
