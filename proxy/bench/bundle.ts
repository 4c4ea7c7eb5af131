// The benchmark measures the gateway users run: the esbuild bundle in dist/gateway, built here when it is
// missing or older than its sources (the same check `npm run gateway` makes).
// @ts-expect-error -- a plain ES module of the build scripts, without type declarations
import { bundleGateway, staleParts } from '../../build/scripts/bundle.mjs';

export async function ensureGatewayBundle(): Promise<void> {
  if ((staleParts() as string[]).includes('gateway')) {
    process.stderr.write('bench: building the gateway bundle (dist/gateway, missing or stale)\n');
    await (bundleGateway as () => Promise<void>)();
  }
}
