// `npm run fake-anthropic`: serves the fake on PORT (default 4010) and HOST (default 127.0.0.1) for the
// offline demo mode. FAKE_ANTHROPIC_API_KEY, when set, is the only key it accepts.
import { startFakeAnthropic } from './server.ts';

const port = Number(process.env['PORT'] ?? 4010);
const host = process.env['HOST'] ?? '127.0.0.1';
const apiKey = process.env['FAKE_ANTHROPIC_API_KEY'] || undefined;

const fake = await startFakeAnthropic({ port, host, ...(apiKey ? { apiKey } : {}) });
console.log(`fake Anthropic API listening on ${fake.url}`);

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: stopping after ${fake.requests.length} requests`);
  await fake.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
