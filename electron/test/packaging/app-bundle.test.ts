// The desktop app's bundled main process links against the gateway bundle: every name it imports from the
// gateway (dist/gateway/index.js) and from its runtime packages exists. Electron is not installed here, so a
// stand-in module answers for it; with the single-instance lock refused the app quits at once, which is enough
// for Node to have linked every import.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { ensureBuilt, ROOT } from '../../../proxy/test/helpers/built-gateway.ts';

const MAIN = join(ROOT, 'dist', 'app', 'electron', 'main.js');

before(async () => {
  await ensureBuilt();
  const built = spawnSync(process.execPath, [join(ROOT, 'build', 'scripts', 'build-app.mjs'), '--skip-renderer'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(built.status, 0, built.stderr);
});

/** The names the bundle imports from "electron", as a module that exports a harmless stand-in for each. */
function electronStandIn(bundle: string): string {
  const names = new Set<string>();
  for (const match of bundle.matchAll(/import \{([^}]+)\} from "electron"/g)) {
    for (const part of match[1]!.split(',')) names.add(part.trim().split(/\s+as\s+/)[0]!);
  }
  const lines = [...names].filter((name) => name !== 'app').map((name) => `export const ${name} = class {};`);
  lines.push('export const app = { requestSingleInstanceLock: () => false, quit: () => { globalThis.quitAsked = true; } };');
  lines.push('export default { app };');
  return lines.join('\n');
}

test('the bundled main process links against dist/gateway and quits when another instance runs', () => {
  const bundle = readFileSync(MAIN, 'utf8');
  assert.match(bundle, /from "\.\.\/\.\.\/gateway\/index\.js"/, 'the gateway comes from its bundle, not compiled again');
  const dir = mkdtempSync(join(tmpdir(), 'cg-app-bundle-'));
  try {
    const standIn = join(dir, 'electron.mjs');
    writeFileSync(standIn, electronStandIn(bundle));
    const hooks = join(dir, 'hooks.mjs');
    writeFileSync(hooks, `export async function resolve(specifier, context, next) {
  return specifier === 'electron' ? { url: ${JSON.stringify(pathToFileURL(standIn).href)}, shortCircuit: true } : next(specifier, context);
}`);
    const register = join(dir, 'register.mjs');
    writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});`);
    const run = spawnSync(process.execPath, ['--import', pathToFileURL(register).href, '--input-type=module', '-e', `await import(${JSON.stringify(pathToFileURL(MAIN).href)}); if (!globalThis.quitAsked) process.exit(3);`], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
