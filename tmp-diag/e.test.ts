import { createServer } from 'node:http';
import { Pool } from 'undici';
const server = createServer((req, res) => { res.writeHead(200, { 'content-type': 'text/plain' }); res.write('a'); setTimeout(() => { res.write('b'); }, 900); setTimeout(() => res.end('c'), 4000); });
await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
const port = (server.address() as any).port;
for (const bt of [100, 400]) {
  const pool = new Pool(`http://127.0.0.1:${port}`, { bodyTimeout: bt });
  const t = Date.now();
  const res = await pool.request({ method: 'GET', path: '/' });
  try { for await (const c of res.body) console.log(bt, Date.now() - t, String(c)); } catch (e) { console.log(bt, 'ERR', Date.now() - t, (e as any).code); }
  await pool.close().catch(() => {});
}
server.closeAllConnections(); server.close();
