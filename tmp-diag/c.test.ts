import { Pool } from 'undici';
import { startFakeAnthropic } from '../proxy/test/fake-anthropic/server.ts';
const fake = await startFakeAnthropic({ respond: () => ({ content: [{ type: 'text', text: 'fine, thanks a lot my friend' }], eventDelayMs: 900 }) });
for (const bt of [100]) {
const pool = new Pool(fake.url, { bodyTimeout: bt, headersTimeout: 1000 });
const t = Date.now();
const res = await pool.request({ method: 'POST', path: '/v1/messages', headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' }, body: JSON.stringify({ model: 'claude-sonnet-4-5', max_tokens: 100, stream: true, messages: [{ role: 'user', content: 'hi' }] }) });
try { for await (const c of res.body) console.log(Date.now() - t, String(c).split('\n')[0]); } catch (e) { console.log('ERR', Date.now() - t, (e as any).code); }
await pool.close();
}
await fake.close();
