// `npm run gateway` (and `gateway:demo`): runs the built gateway, building first whatever part of dist/ is
// missing or older than its sources, so a fresh clone's first command gives the whole product. The gateway
// then runs in this same process: no second Node process, no TypeScript loader.
import { buildDashboard, bundleGateway, staleParts } from './bundle.mjs';

const stale = staleParts();
if (stale.length > 0) {
  console.log(`Building the ${stale.join(' and the ')} into dist/ (missing or older than the sources)…`);
  try {
    if (stale.includes('gateway')) await bundleGateway();
    if (stale.includes('dashboard')) buildDashboard();
  } catch (error) {
    // Without the build tools (a production install) the existing build is still worth running.
    console.warn(`Build skipped: ${error instanceof Error ? error.message : error}`);
  }
}
await import('../../dist/gateway/cli.js');
