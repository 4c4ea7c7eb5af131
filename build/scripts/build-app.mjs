// Builds the desktop app into dist/app: the main process (and the gateway it hosts) with tsc, keeping the source
// tree's layout so the gateway finds renderer/dist beside it as it does in a checkout; the preload bundled into
// one CommonJS file, because a sandboxed preload can require nothing but Electron; and the dashboard's build.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = join(root, 'dist', 'app');

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

rmSync(out, { recursive: true, force: true });
run('npx', ['tsc', '-p', 'electron/tsconfig.build.json']);
// The gateway reads its version from the package.json two folders above its sources; give it one there.
const { name, version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
writeFileSync(join(out, 'package.json'), `${JSON.stringify({ name, version, private: true, type: 'module' }, null, 2)}\n`);

await build({
  entryPoints: [join(root, 'electron', 'preload.ts')],
  outfile: join(out, 'electron', 'preload.cjs'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['electron'],
  logLevel: 'warning',
});

if (!process.argv.includes('--skip-renderer')) run('npm', ['run', 'build:renderer']);
const dashboard = join(root, 'renderer', 'dist');
if (existsSync(dashboard)) cpSync(dashboard, join(out, 'renderer', 'dist'), { recursive: true });
else console.warn('renderer/dist is missing: the dashboard window will say it has not been built.');
console.log(`Desktop app built in ${out}`);
