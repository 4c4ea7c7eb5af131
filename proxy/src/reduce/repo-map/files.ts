// Finds whole file bodies in a conversation and the paths they belong to, as the common agents show them:
// Cline/Roo `[read_file for 'p'] Result:` and `<final_file_content path="p">`, Cline's own
// `<write_to_file><path>p</path><content>…</content>`, mini-swe-agent's `cat p` answered by <output>,
// SWE-agent's `[File: p (N lines total)]` view, and native tool calls with a path argument answered by a
// tool_result. Line-number prefixes that viewers add are taken off.
import type { MessageParam } from '@anthropic-ai/sdk/resources/messages';
import { blocksOf, blockTexts } from '../content.ts';

export interface SeenFile {
  path: string;
  content: string;
}

const READ_RESULT = /^\[read_file for '([^'\n]+)'\] Result:\n([\s\S]*?)(?=\n*<environment_details>|$)/;
const FINAL_FILE = /<final_file_content path="([^"\n]+)">\n([\s\S]*?)\n<\/final_file_content>/g;
const WRITE_FILE = /<write_to_file>\s*<path>([^<\n]+)<\/path>\s*<content>\n?([\s\S]*?)\n?<\/content>/g;
const SWE_VIEW = /^\[File: ([^\s\]]+) \(\d+ lines total\)\]\n([\s\S]*)$/m;
const BASH_BLOCK = /```(?:bash|sh)\n([\s\S]*?)\n```/g;
const CAT = /^\s*(?:cat|nl -ba|cat -n)\s+([\w./-]+)\s*$/;
const OUTPUT = /<output>\n?([\s\S]*?)\n?<\/output>/;
const PATH_KEYS = ['path', 'file_path', 'filePath', 'target_file', 'filename', 'file'];
const READ_TOOL = /read|view|open|cat|file/i;

/** Removes `12 | `, `12:` or `   12\t` prefixes when every non-empty line has one. */
export function stripLineNumbers(text: string): string {
  const lines = text.split('\n');
  for (const pattern of [/^\s*\d+ \| ?/, /^\s*\d+\t/, /^\d+:/]) {
    if (lines.every((line) => line === '' || pattern.test(line))) return lines.map((line) => line.replace(pattern, '')).join('\n');
  }
  return text;
}

function textOf(message: MessageParam): string {
  return blocksOf(message.content).flatMap(blockTexts).join('\n');
}

function catTargets(assistantText: string): string | undefined {
  let target: string | undefined;
  for (const match of assistantText.matchAll(BASH_BLOCK)) {
    const command = match[1]!.trim();
    const cat = CAT.exec(command);
    target = cat ? cat[1] : undefined;
  }
  return target;
}

/** Files in message order; the same path may appear several times (each version as seen). */
export function filesIn(messages: readonly MessageParam[]): SeenFile[] {
  const files: SeenFile[] = [];
  const pendingTools = new Map<string, string>();
  let pendingCat: string | undefined;
  for (const message of messages) {
    if (message.role === 'assistant') {
      const text = textOf(message);
      for (const m of text.matchAll(WRITE_FILE)) files.push({ path: m[1]!.trim(), content: m[2]! });
      pendingCat = catTargets(text);
      for (const block of blocksOf(message.content)) {
        if (block.type !== 'tool_use' || !READ_TOOL.test(block.name)) continue;
        const input = (block.input ?? {}) as Record<string, unknown>;
        const key = PATH_KEYS.find((k) => typeof input[k] === 'string');
        if (key) pendingTools.set(block.id, input[key] as string);
      }
      continue;
    }
    for (const block of blocksOf(message.content)) {
      if (block.type === 'tool_result') {
        const path = pendingTools.get(block.tool_use_id);
        const content = blockTexts(block).join('\n');
        if (path && !block.is_error) files.push({ path, content: stripLineNumbers(content) });
        continue;
      }
      for (const text of blockTexts(block)) {
        const read = READ_RESULT.exec(text);
        if (read) files.push({ path: read[1]!, content: stripLineNumbers(read[2]!) });
        for (const m of text.matchAll(FINAL_FILE)) files.push({ path: m[1]!, content: m[2]! });
        const view = SWE_VIEW.exec(text);
        if (view) files.push({ path: view[1]!, content: stripLineNumbers(view[2]!.replace(/^\(\d+ (?:more )?lines? (?:above|below)\)$/gm, '')) });
        if (pendingCat) {
          const output = OUTPUT.exec(text);
          if (output && /<returncode>0<\/returncode>/.test(text)) files.push({ path: pendingCat, content: stripLineNumbers(output[1]!) });
        }
      }
    }
    pendingTools.clear();
    pendingCat = undefined;
  }
  return files;
}
