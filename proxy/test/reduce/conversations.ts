// Conversations for the reduction tests, built the way agents build them: a Cline-style text-protocol
// session (environment blocks, file reads, files echoed back after a write, reminders, user feedback) and a
// native tool-calling session (tool_use / tool_result pairs, several calls per turn).
import type { MessageCreateParams, MessageParam } from '@anthropic-ai/sdk/resources/messages';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const FIXTURES = fileURLToPath(new URL('../fixtures/reduce/', import.meta.url));

export function fixture(name: string): string {
  return readFileSync(`${FIXTURES}${name}`, 'utf8');
}

export const SYSTEM = `You are a coding agent.\n\n${'Follow the rules of the tool protocol carefully. '.repeat(120)}`;

export const APP_PY = fixture('app.py');

const TODO = `# TODO LIST RECOMMENDED
When starting a new task, it is recommended to create a todo list.

1. Include the task_progress parameter in your next tool call
2. Create a comprehensive checklist of all steps needed

Keeping the todo list updated helps track progress and ensures nothing is missed.`;

const FINAL_NOTE =
  'IMPORTANT: For any future changes to this file, use the final_file_content shown above as your reference. This content reflects the current state of the file, including any auto-formatting (e.g., if you used single quotes but the formatter converted them to double quotes). Always base your SEARCH/REPLACE operations on this final version to ensure accuracy.';

function env(turn: number, openTabs: string[]): string {
  const minutes = String(turn).padStart(2, '0');
  return [
    '<environment_details>',
    '# VSCode Visible Files',
    openTabs[openTabs.length - 1],
    '',
    '# VSCode Open Tabs',
    ...openTabs,
    '',
    '# Current Time',
    `8/27/2025, 8:${minutes}:00 PM (America/Chicago, UTC-5:00)`,
    '',
    '# Context Window Usage',
    `${turn * 1000} / 1,000K tokens used (${turn}%)`,
    '',
    '# Current Mode',
    'ACT MODE',
    '</environment_details>',
  ].join('\n');
}

function versionOf(turn: number): string {
  return APP_PY.replace('VERSION = 1', `VERSION = ${turn}`);
}

/** A Cline-style session with `turns` assistant turns; message 0 is the task. */
export function clineSession(turns: number): MessageParam[] {
  const tabs = ['README.md', 'src/app.py', 'src/utils.py', 'tests/test_app.py', 'docs/usage.md', 'setup.cfg'];
  const messages: MessageParam[] = [{ role: 'user', content: `<task>\nAdd a --verbose flag to src/app.py.\n</task>\n\n${TODO}\n\n${env(0, tabs)}` }];
  for (let t = 1; t <= turns; t++) {
    const kind = t % 5;
    if (kind === 1 || kind === 3) {
      messages.push({ role: 'assistant', content: `Let me read the file.\n\n<read_file>\n<path>src/app.py</path>\n</read_file>` });
      messages.push({ role: 'user', content: `[read_file for 'src/app.py'] Result:\n${versionOf(t - (t % 2))}\n\n${env(t, tabs)}` });
    } else if (kind === 2) {
      const body = versionOf(t);
      messages.push({ role: 'assistant', content: `I will write the file.\n\n<write_to_file>\n<path>src/app.py</path>\n<content>\n${body}\n</content>\n</write_to_file>` });
      messages.push({
        role: 'user',
        content: `[write_to_file for 'src/app.py'] Result:\nThe content was successfully saved to src/app.py.\n\nHere is the full, updated content of the file that was saved:\n\n<final_file_content path="src/app.py">\n${body}\n</final_file_content>\n\n${FINAL_NOTE}\n\n\n${env(t, tabs)}`,
      });
    } else if (kind === 4) {
      messages.push({ role: 'assistant', content: `Running the tests.\n\n<execute_command>\n<command>pytest -q</command>\n</execute_command>` });
      messages.push({ role: 'user', content: `[execute_command for 'pytest -q'] Result:\nCommand executed.\nOutput:\nFAILED tests/test_app.py::test_verbose - AssertionError: expected verbose output\n1 failed, ${t} passed\n\n${TODO}\n\n${env(t, tabs)}` });
    } else {
      messages.push({ role: 'assistant', content: `<attempt_completion>\n<result>\nDone with step ${t}.\n</result>\n</attempt_completion>` });
      messages.push({ role: 'user', content: `[attempt_completion] Result:\n<feedback>\nPlease also keep the old --quiet flag working (turn ${t}).\n</feedback>\n\n${env(t, [...tabs, `notes-${t}.md`])}` });
    }
  }
  return messages;
}

/** A native tool-calling session: each assistant turn calls one or two tools, each result answers its call. */
export function toolSession(turns: number): MessageParam[] {
  const messages: MessageParam[] = [{ role: 'user', content: 'Fix the failing test in src/app.py.' }];
  for (let t = 1; t <= turns; t++) {
    const ids = [`toolu_${t}_a`, `toolu_${t}_b`];
    const two = t % 2 === 0;
    messages.push({
      role: 'assistant',
      content: [
        { type: 'text', text: `Step ${t}: reading the file${two ? ' and running the tests' : ''}.` },
        { type: 'tool_use', id: ids[0]!, name: 'read_file', input: { path: 'src/app.py' } },
        ...(two ? [{ type: 'tool_use' as const, id: ids[1]!, name: 'run', input: { command: 'pytest -q' } }] : []),
      ],
    });
    messages.push({
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: ids[0]!, content: versionOf(t - (t % 3)) },
        ...(two ? [{ type: 'tool_result' as const, tool_use_id: ids[1]!, content: `Error: test_verbose failed at step ${t}\n${'collected 12 items\n'.repeat(3)}` }] : []),
      ],
    });
  }
  return messages;
}

export function request(messages: MessageParam[], system = SYSTEM): MessageCreateParams {
  return { model: 'claude-sonnet-5-5', max_tokens: 1024, system: [{ type: 'text', text: system }], messages };
}

/** Message content without cache_control marks, as the prompt cache hashes it. */
export function unmarked(message: MessageParam): string {
  return JSON.stringify(message.content, (key, value) => (key === 'cache_control' ? undefined : value));
}
