// The fake Anthropic API as its own process for the benchmark. It records every request it serves; a
// benchmark sends tens of thousands, so the record is emptied as it goes to keep memory (and GC) flat.
import { startFakeAnthropic } from '../test/fake-anthropic/server.ts';

const apiKey = process.env['FAKE_ANTHROPIC_API_KEY'] || undefined;
const fake = await startFakeAnthropic({ host: '127.0.0.1', port: 0, ...(apiKey ? { apiKey } : {}) });
setInterval(() => {
  fake.requests.length = 0;
}, 200).unref();
console.log(`fake Anthropic API listening on ${fake.url}`);

const stop = () => {
  void fake.close().then(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
