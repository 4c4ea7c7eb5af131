// Two gateway processes (the headless CLI, as deployed) sharing the real Redis enforce one rate limit between
// them: a project's requests count the same whichever replica they reach.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { startFakeAnthropic, type FakeAnthropic } from '../fake-anthropic/server.ts';
import { startCli, type CliProcess } from '../helpers/cli-process.ts';
import { REDIS_URL, redisAnswers, runId, skipUnless } from '../helpers/services.ts';

const KEY = 'replica-test-gateway-key-0123';
const UPSTREAM_KEY = 'sk-ant-replica-upstream';
const RPM = 6;

const redisUp = await redisAnswers();
const prefix = `${runId('cgpair')}:`;

interface Replica extends CliProcess {
  dataDir: string;
}

async function startReplica(fake: FakeAnthropic): Promise<Replica> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cg-replica-'));
  const cli = await startCli({
    DATA_DIR: dataDir,
    ANTHROPIC_API_KEY: UPSTREAM_KEY,
    ANTHROPIC_BASE_URL: fake.url,
    GATEWAY_API_KEY: KEY,
    REDIS_URL,
    REDIS_KEY_PREFIX: prefix,
    RATE_LIMIT_ENABLED: '1',
    RATE_LIMIT_RPM: String(RPM),
  });
  return { ...cli, dataDir };
}

async function stopReplica(replica: Replica): Promise<void> {
  if (replica.child.exitCode === null) {
    const exited = new Promise((resolve) => replica.child.once('exit', resolve));
    replica.child.kill('SIGTERM');
    await exited;
  }
  rmSync(replica.dataDir, { recursive: true, force: true });
}

describe('two gateway processes sharing Redis', { skip: skipUnless(redisUp, 'Redis', '127.0.0.1:6379') }, () => {
  let fake: FakeAnthropic;
  let replicas: Replica[] = [];

  before(async () => {
    fake = await startFakeAnthropic({ apiKey: UPSTREAM_KEY });
    replicas = await Promise.all([startReplica(fake), startReplica(fake)]);
  });
  after(async () => {
    await Promise.all(replicas.map(stopReplica));
    await fake?.close();
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  test(`one limit of ${RPM} requests per minute across both`, async () => {
    // A minute boundary in the middle would let the sliding window weigh the first requests less.
    const intoMinute = Date.now() % 60_000;
    if (intoMinute > 55_000) await new Promise((r) => setTimeout(r, 60_500 - intoMinute));

    const seen: Array<{ replica: number; status: number; remaining: string | null }> = [];
    for (let i = 0; i < RPM + 4; i++) {
      const replica = i % 2;
      const res = await fetch(`${replicas[replica]!.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'sonnet', messages: [{ role: 'user', content: `request ${i}` }] }),
      });
      await res.arrayBuffer();
      seen.push({ replica, status: res.status, remaining: res.headers.get('x-ratelimit-remaining-requests') });
    }
    assert.deepEqual(
      seen.map((s) => s.status),
      [200, 200, 200, 200, 200, 200, 429, 429, 429, 429],
    );
    // Each answer counts the requests both replicas admitted.
    assert.deepEqual(
      seen.slice(0, RPM).map((s) => s.remaining),
      ['5', '4', '3', '2', '1', '0'],
    );
    assert.equal(fake.requests.filter((r) => r.path === '/v1/messages').length, RPM);
  });
});
