// Codex CLI itself (`codex exec`, the @openai/codex package) against the listening gateway in front of the
// fake Anthropic, configured as a custom Responses provider in a throwaway CODEX_HOME. The scripted model
// lists the workspace, reads a file through Codex's shell tool, and answers with what it read; the test
// checks that Codex ran both commands and finished with the file's content. Codex is killed by its PID if it
// runs past its time, so a stuck run fails the test instead of hanging it.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { FakePlan, RecordedRequest } from '../fake-anthropic/types.ts';
import { GATEWAY_KEY, startHarness, type Harness } from '../helpers/harness.ts';
import { assistantTurns, eventually, messageCalls } from './scripted-model.ts';

const CODEX_BIN = (() => {
  try {
    return join(createRequire(import.meta.url).resolve('@openai/codex/package.json'), '..', 'bin', 'codex.js');
  } catch {
    return undefined;
  }
})();
const SECRET = 'The launch code is TANGERINE-42.';
const RUN_TIMEOUT_MS = 120_000;

let h: Harness;
let home: string;
let workspace: string;
before(async () => {
  h = await startHarness({ listen: true });
  h.fake.setResponder(shellScript);
  // The gateway forgets thinking it handed out: whatever thinking goes back upstream came from Codex, carried in
  // the reasoning items' encrypted_content.
  h.app.gatewayContext.thinking = { remember: async () => {}, recall: async () => ({ lookup: () => undefined, bindingOf: () => undefined }), size: 0 };
  home = mkdtempSync(join(tmpdir(), 'cg-codex-home-'));
  workspace = mkdtempSync(join(tmpdir(), 'cg-codex-ws-'));
  writeFileSync(join(workspace, 'secret.txt'), `${SECRET}\n`);
  writeFileSync(join(home, 'config.toml'), codexConfig(h.baseURL));
});
after(async () => {
  await h.close();
  rmSync(home, { recursive: true, force: true });
  rmSync(workspace, { recursive: true, force: true });
});

/** The provider block a user writes to point Codex at the gateway (docs/responses-api.md shows the same). */
function codexConfig(baseURL: string): string {
  return [
    'model = "sonnet"',
    'model_provider = "coding-gateway"',
    '',
    '[model_providers.coding-gateway]',
    'name = "Coding Gateway"',
    `base_url = "${baseURL}"`,
    'wire_api = "responses"',
    'env_key = "CODING_GATEWAY_KEY"',
    'request_max_retries = 0',
    'stream_max_retries = 0',
    '',
  ].join('\n');
}

/** Text of the newest tool result in the request: what the last shell command printed. */
function lastToolResult(req: RecordedRequest): string {
  const messages: any[] = req.body?.messages ?? [];
  for (const message of [...messages].reverse()) {
    const results = Array.isArray(message.content) ? message.content.filter((b: any) => b.type === 'tool_result') : [];
    if (results.length === 0) continue;
    const content = results[results.length - 1].content;
    return typeof content === 'string' ? content : (content ?? []).map((b: any) => b.text ?? '').join('');
  }
  return '';
}

/** ls, then cat secret.txt, then answer with what cat printed. */
function shellScript(req: RecordedRequest): FakePlan {
  switch (assistantTurns(req)) {
    case 0:
      return {
        content: [{ type: 'thinking', thinking: 'First see which files exist.' }, { type: 'text', text: 'Let me look around.' }, { type: 'tool_use', name: 'exec_command', input: { cmd: 'ls' } }],
        stopReason: 'tool_use',
      };
    case 1:
      return { content: [{ type: 'thinking', thinking: 'secret.txt is there; read it.' }, { type: 'tool_use', name: 'exec_command', input: { cmd: 'cat secret.txt' } }], stopReason: 'tool_use' };
    default: {
      const line = lastToolResult(req).split('\n').find((l) => l.includes('launch code')) ?? 'I could not read it.';
      return { content: [{ type: 'text', text: `secret.txt says: ${line.trim()}` }], stopReason: 'end_turn' };
    }
  }
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

function runCodex(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CODEX_BIN!, ...args], {
      cwd: workspace,
      env: { PATH: process.env.PATH, HOME: home, CODEX_HOME: home, CODING_GATEWAY_KEY: GATEWAY_KEY, NO_COLOR: '1', RUST_LOG: 'error' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid) process.kill(child.pid, 'SIGKILL');
    }, RUN_TIMEOUT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
  });
}

test('codex exec reads a file through its shell tool over several turns and answers with its content', { skip: CODEX_BIN && existsSync(CODEX_BIN) ? false : '@openai/codex is not installed', timeout: RUN_TIMEOUT_MS + 10_000 }, async () => {
  mkdirSync(home, { recursive: true });
  const lastMessage = join(home, 'last-message.txt');
  const run = await runCodex([
    'exec', '--skip-git-repo-check', '--ephemeral', '--color', 'never',
    '--dangerously-bypass-approvals-and-sandbox', '-o', lastMessage,
    'What does secret.txt in this folder say?',
  ]);
  const diagnostics = `exit ${run.code}${run.timedOut ? ' (killed after timeout)' : ''}\nstdout:\n${run.stdout.slice(-3000)}\nstderr:\n${run.stderr.slice(-3000)}`;
  assert.equal(run.timedOut, false, diagnostics);
  assert.equal(run.code, 0, diagnostics);
  assert.equal(readFileSync(lastMessage, 'utf8').trim(), `secret.txt says: ${SECRET}`, diagnostics);

  // Three model turns over /v1/responses: ls, cat, answer; the shell output went back as tool results.
  const calls = messageCalls(h.fake.requests);
  assert.equal(calls.length, 3, diagnostics);
  const final = calls[2]!.body.messages;
  const toolUses = final.flatMap((m: any) => (Array.isArray(m.content) ? m.content : [])).filter((b: any) => b.type === 'tool_use');
  assert.deepEqual(toolUses.map((b: any) => b.input.cmd), ['ls', 'cat secret.txt']);
  assert.match(lastToolResult(calls[1]!), /secret\.txt/, 'ls listed the file');
  assert.match(lastToolResult(calls[2]!), /TANGERINE-42/, 'cat printed it');
  // Claude's signed thinking went back on every later turn, exactly where it was produced.
  const assistants = final.filter((m: any) => m.role === 'assistant');
  assert.deepEqual(assistants.map((m: any) => m.content.map((b: any) => b.type)), [['thinking', 'text', 'tool_use'], ['thinking', 'tool_use']]);
  assert.deepEqual(assistants.map((m: any) => m.content[0].thinking), ['First see which files exist.', 'secret.txt is there; read it.']);
  assert.ok(assistants.every((m: any) => m.content[0].signature.length > 0));
  // Codex's own instructions arrive as the system prompt; its tools, namespaces flattened, as Claude tools.
  assert.ok(calls[0]!.body.system.length > 0);
  assert.ok(calls[0]!.body.tools.some((t: any) => t.name === 'exec_command'));
  assert.ok(calls[0]!.body.tools.some((t: any) => t.name === 'multi_agent_v1__spawn_agent'), 'the multi_agent_v1 namespace is flattened');
  assert.ok(!calls[0]!.body.tools.some((t: any) => t.type === 'web_search'), 'the OpenAI-hosted web_search tool is not sent');
  // reasoning.summary asks to see the reasoning: Claude thinks, with the thinking shown.
  assert.deepEqual(calls[0]!.body.thinking, { type: 'adaptive', display: 'summarized' });

  // Each turn is metered under the responses endpoint.
  await eventually(() => usageRows().length >= 3, 5000, 'usage records');
  assert.deepEqual(usageRows().map((r) => [r.endpoint, r.status]), [['responses', 200], ['responses', 200], ['responses', 200]]);
});

function usageRows(): Array<{ endpoint: string; status: number }> {
  return h.app.gatewayContext.store.db.prepare('SELECT endpoint, status FROM usage_records').all() as Array<{ endpoint: string; status: number }>;
}
