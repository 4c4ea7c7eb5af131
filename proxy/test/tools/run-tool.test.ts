import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { loadPlugins } from '../../src/tools/plugin-loader.ts';
import { runPluginCall } from '../../src/tools/run-tool.ts';
import type { PluginTool } from '../../src/tools/tool-types.ts';
import { ToolRegistry } from '../../src/tools/tool-registry.ts';
import { removeDir, tempDataDir } from './extension-harness.ts';

function tool(handler: PluginTool['handler']): PluginTool {
  return { name: 't', description: 'd', inputSchema: { type: 'object' }, source: 'builtin', handler };
}
const options = { projectId: 'p', timeoutMs: 50, signal: new AbortController().signal };

describe('runPluginCall', () => {
  test('text and JSON answers become the tool result', async () => {
    assert.deepEqual(await runPluginCall(tool(() => 'hello'), { id: 'c1', name: 't', input: {} }, options), { type: 'tool_result', tool_use_id: 'c1', content: 'hello' });
    assert.deepEqual(await runPluginCall(tool(async (input, ctx) => ({ got: input, project: ctx.projectId })), { id: 'c2', name: 't', input: { a: 1 } }, options), {
      type: 'tool_result',
      tool_use_id: 'c2',
      content: '{"got":{"a":1},"project":"p"}',
    });
  });

  test('a throw, a rejection and a timeout come back as tool errors', async () => {
    const thrown = await runPluginCall(tool(() => { throw new Error('kaboom'); }), { id: 'c3', name: 't', input: {} }, options);
    assert.deepEqual(thrown, { type: 'tool_result', tool_use_id: 'c3', is_error: true, content: 'Tool t failed: kaboom' });
    const rejected = await runPluginCall(tool(() => Promise.reject('no')), { id: 'c4', name: 't', input: {} }, options);
    assert.deepEqual(rejected, { type: 'tool_result', tool_use_id: 'c4', is_error: true, content: 'Tool t failed: no' });
    let aborted = false;
    const slow = tool((_input, ctx) => new Promise((resolve) => {
      ctx.signal.addEventListener('abort', () => { aborted = true; });
      setTimeout(() => resolve('late'), 1000).unref();
    }));
    assert.deepEqual(await runPluginCall(slow, { id: 'c5', name: 't', input: {} }, options), {
      type: 'tool_result',
      tool_use_id: 'c5',
      is_error: true,
      content: 'Tool t did not finish within 0.05s.',
    });
    assert.equal(aborted, true, 'the handler is told to stop');
  });
});

describe('plugins in DATA_DIR/plugins', () => {
  test('good modules load; bad ones are reported and skipped', async () => {
    const dir = join(tempDataDir(), 'plugins');
    mkdirSync(dir);
    try {
      writeFileSync(join(dir, 'a-good.mjs'), "export const name = 'echo_it'; export const description = 'Echoes.'; export const schema = { type: 'object', properties: { x: { type: 'string' } } }; export function handler(input) { return input.x; }\n");
      writeFileSync(join(dir, 'b-default.mjs'), "export default { name: 'via_default', parameters: { properties: {} }, handler: () => 'ok' };\n");
      writeFileSync(join(dir, 'c-badname.mjs'), "export const name = 'bad name!'; export function handler() {}\n");
      writeFileSync(join(dir, 'd-nohandler.mjs'), "export const name = 'no_handler';\n");
      writeFileSync(join(dir, 'e-syntax.mjs'), 'export const = ;\n');
      writeFileSync(join(dir, 'f-clash.mjs'), "export const name = 'repo_map'; export function handler() { return 'mine'; }\n");
      writeFileSync(join(dir, 'notes.txt'), 'not a module');
      const loaded = await loadPlugins(dir);
      assert.deepEqual(loaded.tools.map((t) => [t.name, t.description, t.inputSchema]), [
        ['echo_it', 'Echoes.', { type: 'object', properties: { x: { type: 'string' } } }],
        ['via_default', 'Plugin tool via_default.', { type: 'object', properties: {} }],
        ['repo_map', 'Plugin tool repo_map.', { type: 'object', properties: {} }],
      ]);
      assert.deepEqual(loaded.errors.map((e) => e.file.split('/').pop()), ['c-badname.mjs', 'd-nohandler.mjs', 'e-syntax.mjs']);
      assert.match(loaded.errors[1]!.message, /handler/);

      const registry = new ToolRegistry([tool(() => '')].map((t) => ({ ...t, name: 'repo_map' })));
      const problems = await registry.loadPlugins(dir);
      assert.deepEqual(registry.list().map((t) => t.name), ['echo_it', 'repo_map', 'via_default']);
      assert.equal(registry.get('repo_map')!.source, 'builtin', 'a plugin cannot take a built-in name');
      assert.match(problems.at(-1)!.message, /already taken/);
      assert.deepEqual(registry.forProject(['via_default', 'unknown']).map((t) => t.name), ['via_default']);
    } finally {
      removeDir(join(dir, '..'));
    }
  });
});
