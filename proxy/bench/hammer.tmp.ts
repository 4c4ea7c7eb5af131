// scratch: profile one case
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePlan } from './options.ts';
import { startServers } from './servers.ts';
import { targets } from './scenarios.ts';
import { closedLoop, timedRequest } from './load.ts';
import { smallChat, BENCH_MODEL } from './payloads.ts';
import { loadTraceTurns } from './traces.ts';

const plan = parsePlan(process.argv.slice(3));
const dataDir = mkdtempSync(join(tmpdir(), 'hammer-'));
const started: any[] = [];
const servers = await startServers(plan, dataDir, started);
const ep = servers.endpoints;
const t = targets(ep, Number(process.env.C ?? 8), false);
try {
  const small = smallChat(false);
  for (const which of (process.env.BOTH ? ['traffic', 'small'] : [process.argv[2] ?? 'small'])) for (const side of ['gateway', 'floor'] as const) {
    await closedLoop(8, 60_000, 2000, () => timedRequest(t[side], small.openai));
    if (which === 'small') {
      const before = side === 'gateway' ? ep.gatewayCpuMs()! : ep.floorCpuMs()!;
      const n = 6000;
      await closedLoop(Number(process.env.C ?? 8), 60_000, n, () => timedRequest(t[side], small.openai));
      const after = side === 'gateway' ? ep.gatewayCpuMs()! : ep.floorCpuMs()!;
      console.log(side, 'µs/request', ((after - before) * 1000 / n).toFixed(0));
    } else {
      const turns = loadTraceTurns(plan.tracesDir, BENCH_MODEL);
      const bodies = turns.map((x) => JSON.stringify(x.body));
      const mb = bodies.reduce((s, b) => s + Buffer.byteLength(b), 0) / 1048576;
      const before = side === 'gateway' ? ep.gatewayCpuMs()! : ep.floorCpuMs()!;
      for (const b of bodies) await timedRequest(t[side], b);
      const after = side === 'gateway' ? ep.gatewayCpuMs()! : ep.floorCpuMs()!;
      console.log(side, 'ms/MB', ((after - before) / mb).toFixed(1), 'turns', bodies.length);
    }
  }
} finally {
  await t.close();
  for (const c of started.reverse()) await c.stop();
}
