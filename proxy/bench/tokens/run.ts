// Replays every session turn by turn, three ways (straight through, caching only, through the gateway),
// against one fake Anthropic on a simulated clock, and collects per-session figures.
import type { RepoMapStore } from '../../src/reduce/repo-map/store.ts';
import type { ReductionSettings } from '../../src/reduce/settings.ts';
import { startFakeAnthropic, type FakeAnthropic } from '../../test/fake-anthropic/server.ts';
import { billedInput } from './billing.ts';
import { measureFidelity } from './fidelity.ts';
import { BENCH_MODEL, openGateway, sendCachingOnly, sendStraight, type ChatBody } from './gateway.ts';
import { createThinkingTally } from './thinking.ts';
import { timeline, type Session } from './traces.ts';

export interface SessionResult {
  id: string;
  client: string;
  requests: number;
  straight: number;
  cachingOnly: number;
  gateway: number;
  /** Estimated tokens saved per layer, summed over the session. */
  byLayer: Record<string, number>;
  originalChars: number;
  lostChars: number;
  references: number;
  dangling: number;
  reduceMs: number[];
  /** The gateway's billed cost split: uncached input, 5m writes x1.25, 1h writes x2, reads x0.1. */
  parts: { input: number; write5m: number; write1h: number; read: number };
  tokensBefore: number;
  tokensAfter: number;
  /** Thinking block-sends kept and dropped through the gateway, and dropped by the client's own history (thinking.ts). */
  thinking: { kept: number; dropped: number; droppedByClient: number };
}

export interface RunOptions {
  via: 'pipeline' | 'gateway';
  settings: ReductionSettings;
  paceMs: number;
  useReportedTimes: boolean;
  repoMap?: RepoMapStore;
  clock: { now: number };
}

export async function runSessions(sessions: readonly Session[], options: RunOptions, onSession?: (r: SessionResult) => void): Promise<SessionResult[]> {
  const clock = options.clock;
  const fake: FakeAnthropic = await startFakeAnthropic({
    now: () => clock.now,
    respond: () => ({ content: [{ type: 'text', text: 'ok' }], stopReason: 'end_turn' }),
  });
  const gateway = await openGateway({ via: options.via, settings: options.settings, fake, now: () => clock.now, repoMap: options.repoMap });
  const results: SessionResult[] = [];
  try {
    for (const session of sessions) {
      fake.reset();
      // Sessions are days apart: nothing they cached survives into the next one.
      const base = clock.now + 24 * 3600_000;
      const result: SessionResult = {
        id: session.id,
        client: session.client,
        requests: session.requests.length,
        straight: 0,
        cachingOnly: 0,
        gateway: 0,
        byLayer: {},
        originalChars: 0,
        lostChars: 0,
        references: 0,
        dangling: 0,
        reduceMs: [],
        parts: { input: 0, write5m: 0, write1h: 0, read: 0 },
        tokensBefore: 0,
        tokensAfter: 0,
        thinking: { kept: 0, dropped: 0, droppedByClient: 0 },
      };
      const tally = createThinkingTally();
      const clientTally = createThinkingTally();
      for (const turn of timeline(session, options.paceMs, options.useReportedTimes)) {
        clock.now = base + turn.at;
        const body: ChatBody = { model: BENCH_MODEL, messages: turn.messages, ...(session.tools ? { tools: session.tools } : {}) };
        result.straight += billedInput((await sendStraight(fake, body)).usage);
        result.cachingOnly += billedInput((await sendCachingOnly(fake, body)).usage);
        const sent = await gateway.sendThroughGateway(body);
        result.gateway += billedInput(sent.usage);
        const u = sent.usage;
        result.parts.input += u.input_tokens;
        result.parts.write5m += 1.25 * (u.cache_creation?.ephemeral_5m_input_tokens ?? u.cache_creation_input_tokens);
        result.parts.write1h += 2 * (u.cache_creation?.ephemeral_1h_input_tokens ?? 0);
        result.parts.read += 0.1 * u.cache_read_input_tokens;
        result.tokensBefore += sent.report?.tokensBefore ?? 0;
        result.tokensAfter += sent.report?.tokensAfter ?? 0;
        for (const [layer, saved] of Object.entries(sent.report?.byLayer ?? {})) result.byLayer[layer] = (result.byLayer[layer] ?? 0) + saved;
        if (sent.reduceMs !== undefined) result.reduceMs.push(sent.reduceMs);
        tally.observe(sent.upstream);
        clientTally.observe(sent.original);
        const fidelity = measureFidelity(sent.original, sent.upstream);
        result.originalChars += fidelity.originalChars;
        result.lostChars += fidelity.lostChars;
        result.references += fidelity.references;
        result.dangling += fidelity.dangling;
      }
      result.thinking = { kept: tally.kept, dropped: tally.dropped, droppedByClient: clientTally.dropped };
      results.push(result);
      onSession?.(result);
    }
  } finally {
    await gateway.close();
    await fake.close();
  }
  return results;
}
