import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GatewayError } from '../../../src/errors.ts';
import { clientToolName, flatToolName, flattenNamespaces } from '../../../src/translate/responses/tool-names.ts';

describe('namespace tools', () => {
  test('members are flattened in place, renamed, and mapped back to their namespace', () => {
    const { tools, namespaced } = flattenNamespaces([
      { type: 'function', name: 'exec_command', parameters: {} },
      {
        type: 'namespace',
        name: 'multi_agent_v1',
        description: 'Tools for sub-agents.',
        tools: [
          { type: 'function', name: 'spawn_agent', description: 'Start one.', parameters: { type: 'object' } },
          { type: 'custom', name: 'note' },
        ],
      },
      { type: 'custom', name: 'apply_patch' },
    ]);
    assert.deepEqual(tools.map((t) => [t.type, t.name]), [
      ['function', 'exec_command'],
      ['function', 'multi_agent_v1__spawn_agent'],
      ['custom', 'multi_agent_v1__note'],
      ['custom', 'apply_patch'],
    ]);
    assert.equal(tools[1]!.description, 'Start one.\n\n(Part of: Tools for sub-agents.)');
    assert.equal(tools[2]!.description, 'Tools for sub-agents.');
    assert.deepEqual(clientToolName('multi_agent_v1__spawn_agent', namespaced), { name: 'spawn_agent', namespace: 'multi_agent_v1' });
    assert.deepEqual(clientToolName('exec_command', namespaced), { name: 'exec_command' });
    assert.equal(flatToolName('spawn_agent', 'multi_agent_v1'), 'multi_agent_v1__spawn_agent');
    assert.equal(flatToolName('exec_command'), 'exec_command');
  });

  test('a malformed namespace is a 400 naming the field', () => {
    for (const [tool, param] of [
      [{ type: 'namespace', name: 'bad name', tools: [] }, 'tools[0].name'],
      [{ type: 'namespace', name: 'ns' }, 'tools[0].tools'],
      [{ type: 'namespace', name: 'ns', tools: [{ type: 'web_search' , name: 'w' }] }, 'tools[0].tools[0].type'],
      [{ type: 'namespace', name: 'ns', tools: [{ type: 'function' }] }, 'tools[0].tools[0]'],
    ] as const) {
      assert.throws(() => flattenNamespaces([tool as Record<string, unknown>]), (e: unknown) => e instanceof GatewayError && e.param === param);
    }
  });
});
