import { startHarness, GATEWAY_KEY } from '../proxy/test/helpers/harness.ts';
const h = await startHarness({ config: { rateLimitEnabled: true, rateLimitRpm: 0, rateLimitTpm: 150 } });
const q = { model: 'sonnet', messages: [{ role: 'user', content: 'Hello there' }] };
const r1 = await h.app.inject({ method: 'POST', url: '/v1/chat/completions', headers: { authorization: `Bearer ${GATEWAY_KEY}` }, payload: { ...q, messages: [{ role: 'user', content: 'x'.repeat(200) }] } });
console.log(r1.statusCode, r1.headers, r1.json().usage);
const r2 = await h.app.inject({ method: 'POST', url: '/v1/chat/completions', headers: { authorization: `Bearer ${GATEWAY_KEY}` }, payload: q });
console.log(r2.statusCode, r2.headers, r2.body);
await h.close();
