// What `npm run build` makes and how to tell when it is out of date. The gateway (its CLI and the library the
// desktop app hosts) is bundled by esbuild into dist/gateway as ES modules for Node 20; the dashboard is built
// by Vite into dist/dashboard. Packages that load native code or their own files at run time, and the ones only
// some configurations use, stay outside the bundle and are loaded from node_modules when first needed.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DIST = join(ROOT, 'dist');
export const GATEWAY_OUT = join(DIST, 'gateway');
export const DASHBOARD_OUT = join(DIST, 'dashboard');

/** Loaded from node_modules at run time: native addons, WASM grammars, and clients only some setups use. */
export const EXTERNAL_PACKAGES = [
  'better-sqlite3',
  'sqlite-vec',
  '@vscode/tree-sitter-wasm',
  'pg',
  'pg-native',
  'ioredis',
  '@anthropic-ai/bedrock-sdk',
  '@anthropic-ai/vertex-sdk',
  '@anthropic-ai/foundry-sdk',
  // Signing and credential pieces the cloud upstreams load on first use.
  '@smithy/signature-v4',
  '@aws-crypto/sha256-js',
  '@aws-sdk/credential-providers',
  'google-auth-library',
  'electron',
];

// Bundled CommonJS packages call require() and read __dirname; an ES module has neither until it makes them.
const NODE_GLOBALS_BANNER = [
  "import { createRequire as __cgCreateRequire } from 'node:module';",
  "import { fileURLToPath as __cgFileURLToPath } from 'node:url';",
  "import { dirname as __cgDirname } from 'node:path';",
  'const require = __cgCreateRequire(import.meta.url);',
  'const __filename = __cgFileURLToPath(import.meta.url);',
  'const __dirname = __cgDirname(__filename);',
].join('\n');

/** Sources whose change makes a build stale, per output. */
const GATEWAY_SOURCES = ['proxy/src', 'proxy/test/fake-anthropic', 'package.json', 'build/scripts/bundle.mjs'];
const DASHBOARD_SOURCES = ['renderer/src', 'renderer/index.html', 'renderer/vite.config.ts', 'package.json'];

function newestMtime(path) {
  let info;
  try {
    info = statSync(path);
  } catch {
    return 0;
  }
  if (!info.isDirectory()) return info.mtimeMs;
  let latest = 0;
  for (const name of readdirSync(path)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    latest = Math.max(latest, newestMtime(join(path, name)));
  }
  return latest;
}

function builtAt(file) {
  return existsSync(file) ? statSync(file).mtimeMs : 0;
}

/** Which outputs are missing or older than their sources: a subset of ['gateway', 'dashboard']. */
export function staleParts() {
  const stale = [];
  const newest = (paths) => Math.max(...paths.map((p) => newestMtime(join(ROOT, p))));
  if (builtAt(join(GATEWAY_OUT, 'cli.js')) < newest(GATEWAY_SOURCES)) stale.push('gateway');
  if (builtAt(join(DASHBOARD_OUT, 'index.html')) < newest(DASHBOARD_SOURCES)) stale.push('dashboard');
  return stale;
}

export async function bundleGateway({ minify = true } = {}) {
  const { build } = await import('esbuild');
  rmSync(GATEWAY_OUT, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: { cli: 'proxy/src/cli.ts', index: 'proxy/src/index.ts' },
    outdir: GATEWAY_OUT,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    minifySyntax: minify,
    minifyWhitespace: minify,
    // No keepNames: it wraps every function, closures made per request included, in a defineProperty call
    // (about a tenth of a small request's CPU). Identifiers are not minified, so names survive in stack traces,
    // save the few esbuild renames where two modules define the same one.
    keepNames: false,
    sourcemap: 'linked',
    metafile: true,
    external: EXTERNAL_PACKAGES,
    banner: { js: NODE_GLOBALS_BANNER },
    chunkNames: 'chunks/[name]-[hash]',
    legalComments: 'linked',
    logLevel: 'warning',
  });
  // The bundle is ES modules whatever the nearest package.json says.
  writeFileSync(join(GATEWAY_OUT, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(join(GATEWAY_OUT, 'meta.json'), JSON.stringify(result.metafile));
  return result.metafile;
}

export function buildDashboard() {
  const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const run = spawnSync(process.execPath, [vite, 'build', '--config', join(ROOT, 'renderer', 'vite.config.ts'), '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (run.status !== 0) throw new Error('the dashboard build failed');
}

/** Bytes of every file under a folder (what the build puts on disk). */
export function folderBytes(dir, filter = () => true) {
  let total = 0;
  for (const name of existsSync(dir) ? readdirSync(dir) : []) {
    const path = join(dir, name);
    const info = statSync(path);
    total += info.isDirectory() ? folderBytes(path, filter) : filter(name) ? info.size : 0;
  }
  return total;
}

export function packageVersion() {
  return JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
}
