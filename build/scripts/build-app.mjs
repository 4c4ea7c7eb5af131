// Builds the desktop app: the gateway bundle and the dashboard (the same dist/gateway and dist/dashboard that
// `npm run gateway` runs), then the main process into dist/app/electron/main.js, bundled with its imports of
// the gateway pointed at the gateway's library entry (dist/gateway/index.js) instead of compiled a second time,
// and the preload into one CommonJS file, because a sandboxed preload can require nothing but Electron.
import { rmSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { build } from 'esbuild';
import { buildDashboard, bundleGateway, ROOT, staleParts } from './bundle.mjs';

const out = join(ROOT, 'dist', 'app');
const gatewaySources = join(ROOT, 'proxy', 'src') + sep;
const gatewayLibrary = join(ROOT, 'dist', 'gateway', 'index.js');

// Every import of the gateway's sources becomes an import of its bundled library, which re-exports what the
// desktop app uses (proxy/src/index.ts).
const useGatewayBundle = {
  name: 'use-gateway-bundle',
  setup(builder) {
    builder.onResolve({ filter: /proxy\/src\// }, (args) => {
      const target = resolve(args.resolveDir, args.path);
      if (!target.startsWith(gatewaySources)) return undefined;
      const from = join(out, 'electron');
      return { path: relative(from, gatewayLibrary).split(sep).join('/'), external: true };
    });
  },
};

const stale = staleParts();
if (stale.includes('gateway') || process.argv.includes('--force')) await bundleGateway();
if (!process.argv.includes('--skip-renderer') && stale.includes('dashboard')) buildDashboard();

rmSync(out, { recursive: true, force: true });
const common = { absWorkingDir: ROOT, bundle: true, platform: 'node', target: 'node20', logLevel: 'warning', sourcemap: 'linked' };
await build({
  ...common,
  entryPoints: [join(ROOT, 'electron', 'main.ts')],
  outfile: join(out, 'electron', 'main.js'),
  format: 'esm',
  // Runtime dependencies (Electron, electron-store, …) are packaged in node_modules by electron-builder.
  packages: 'external',
  plugins: [useGatewayBundle],
});
await build({
  ...common,
  entryPoints: [join(ROOT, 'electron', 'preload.ts')],
  outfile: join(out, 'electron', 'preload.cjs'),
  format: 'cjs',
  external: ['electron'],
});
console.log(`Desktop app built in ${out} (gateway from dist/gateway, dashboard from dist/dashboard)`);
