// `npm run build`: the gateway bundle and the dashboard into dist/. `--if-stale` rebuilds only what is missing
// or older than its sources (what `npm run gateway` does before starting).
import { join } from 'node:path';
import { buildDashboard, bundleGateway, DASHBOARD_OUT, folderBytes, GATEWAY_OUT, staleParts } from './bundle.mjs';

const onlyStale = process.argv.includes('--if-stale');
// `--gateway-only`: the bundle alone (the start-up benchmark rebuilds it to measure a first start).
const wanted = process.argv.includes('--gateway-only') ? ['gateway'] : ['gateway', 'dashboard'];
const parts = (onlyStale ? staleParts() : wanted).filter((part) => wanted.includes(part));
const kb = (bytes) => `${(bytes / 1024).toFixed(0)} KB`;

if (parts.includes('gateway')) {
  const started = performance.now();
  await bundleGateway();
  const js = folderBytes(GATEWAY_OUT, (name) => name.endsWith('.js'));
  console.log(`gateway   → ${GATEWAY_OUT} (${kb(js)} of JavaScript, ${Math.round(performance.now() - started)} ms)`);
}
if (parts.includes('dashboard')) {
  const started = performance.now();
  buildDashboard();
  console.log(`dashboard → ${DASHBOARD_OUT} (${kb(folderBytes(join(DASHBOARD_OUT)))}, ${Math.round(performance.now() - started)} ms)`);
}
if (parts.length === 0) console.log('dist/ is up to date');
