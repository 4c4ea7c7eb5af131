import OpenAI from 'openai';
import { GATEWAY_KEY, startHarness } from '../proxy/test/helpers/harness.ts';
import { eventually, messageCalls } from '../proxy/test/e2e/scripted-model.ts';

const h = await startHarness({ listen: true });
const client = new OpenAI({ baseURL: h.baseURL, apiKey: GATEWAY_KEY, maxRetries: 0 });
if (process.env.WARM === '1') await client.chat.completions.create({ model: 'sonnet', messages: [{ role: 'user', content: 'warm' }] });
h.app.server.on('connection', (sock) => {
  console.error('new server conn', sock.remotePort);
  sock.on('close', () => console.error('server socket closed', sock.remotePort));
});
h.fake.setResponder(() => ({ content: [{ type: 'text', text: 'too late' }], delayMs: 3000 }));
const mark = h.fake.requests.length;
const controller = new AbortController();
const t = Date.now();
const pending = client.chat.completions.create({ model: 'sonnet', messages: [{ role: 'user', content: 'slow' }] }, { signal: controller.signal });
await eventually(() => messageCalls(h.fake.requests, mark).length === 1, 2000, 'call');
controller.abort();
await pending.catch(() => {});
const upstream = messageCalls(h.fake.requests, mark)[0]!;
await eventually(() => upstream.aborted, 5000, 'aborted');
console.error('aborted seen after', Date.now() - t);
const t2 = Date.now();
await h.app.close();
console.error('app close', Date.now() - t2);
await h.fake.close();
