// The live chat path keeps per-conversation prefix state, and what it sends upstream is still exactly what the
// from-scratch path computes: agent sessions go through a listening-free gateway turn by turn (interleaved,
// so conversations take turns in the store), and every body the fake Anthropic received is compared with a
// fresh translation and reduction of the same request.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadTraceTurns } from '../../bench/traces.ts';
import { capabilitiesFor } from '../../src/models/catalog.ts';
import { DEFAULT_REDUCTION_SETTINGS, reduceRequest } from '../../src/reduce/pipeline.ts';
import { normalizeChatRequest } from '../../src/translate/normalize.ts';
import { toAnthropicRequest } from '../../src/translate/request.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';

const MODEL = 'claude-haiku-4-5';
const TRACES = fileURLToPath(new URL('../../../../shared/traces', import.meta.url));
type Body = Record<string, unknown>;
// The repo map only acts when pruning does; off, the gateway needs no grammars loaded.
const SETTINGS = { ...DEFAULT_REDUCTION_SETTINGS, repoMap: false };

/** A text-protocol agent session: a repeated environment block and a file read twice, so strip and dedup act. */
function fixtureSession(name: string, turns: number): Body[] {
  const file = Array.from({ length: 60 }, (_, i) => `def ${name}_${i}(x):\n    return x * ${i}  # line ${i}`).join('\n');
  const env = (t: number) => `<environment_details>\n# VSCode Open Tabs\nsrc/${name}.py\n\n# Current Time\n8/27/2025, 8:${String(t).padStart(2, '0')}:00 PM\n</environment_details>`;
  const messages: Body[] = [{ role: 'system', content: `You are ${name}, a coding agent. ${'Use one tool per message. '.repeat(80)}` }];
  const bodies: Body[] = [];
  for (let t = 0; t < turns; t++) {
    messages.push({ role: 'user', content: `${t === 0 ? 'Fix the bug.' : `[read_file] Result:\n${file}`}\n\n${env(t)}` });
    bodies.push({ model: MODEL, max_tokens: 512, messages: [...messages] });
    messages.push({ role: 'assistant', content: `<read_file><path>src/${name}.py</path></read_file> (step ${t})` });
  }
  return bodies;
}

function sessions(): Body[][] {
  const bySession = new Map<string, Body[]>();
  for (const turn of loadTraceTurns(TRACES, MODEL)) bySession.set(turn.session, [...(bySession.get(turn.session) ?? []), turn.body]);
  // The three shortest shared sessions keep this quick; the fixtures always run.
  const traces = [...bySession.values()].sort((a, b) => a.length - b.length).slice(0, 3);
  return [...traces, fixtureSession('alpha', 8), fixtureSession('beta', 8)];
}

function fromScratch(body: Body): string {
  const translated = toAnthropicRequest(normalizeChatRequest(body), { model: MODEL, capabilities: capabilitiesFor(MODEL) }).params;
  const reduced = reduceRequest(translated, { settings: SETTINGS, minCacheableTokens: capabilitiesFor(MODEL).minCacheableTokens, cacheTtl: '5m', projectId: 'default' });
  return JSON.stringify(reduced.params);
}

describe('prefix state on the live chat path', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ config: { reduction: SETTINGS } });
  });
  after(() => h.close());

  test('every upstream body equals the from-scratch translation and reduction, byte for byte', async () => {
    const all = sessions();
    const longest = Math.max(...all.map((s) => s.length));
    let sent = 0;
    for (let turn = 0; turn < longest; turn++) {
      for (const session of all) {
        const body = session[turn];
        if (!body) continue;
        h.fake.requests.length = 0;
        const res = await h.app.inject({ method: 'POST', url: '/v1/chat/completions', headers: h.auth, payload: body });
        assert.equal(res.statusCode, 200, res.body);
        const upstream = h.fake.requests.filter((r) => r.path === '/v1/messages');
        assert.equal(upstream.length, 1);
        assert.equal(JSON.stringify(upstream[0]!.body), fromScratch(body), `turn ${turn} differs`);
        sent++;
      }
    }
    assert.ok(sent >= 16);
  });
});
