// Runs every *.test.ts under proxy/, electron/ and renderer/ with Node's test runner (TypeScript via tsx).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const roots = ['proxy', 'electron', 'renderer'];
const filter = process.argv.slice(2);

function collect(dir, out) {
  let entries;
  try { entries = readdirSync(dir); } catch { return out; }
  for (const name of entries) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) collect(path, out);
    else if (name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

let files = roots.flatMap((root) => collect(root, [])).sort();
if (filter.length) files = files.filter((f) => filter.some((part) => f.includes(part)));
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}

// The full run typechecks and lints first; a filtered run is for quick iteration and skips both.
if (filter.length === 0) {
  // The dashboard (renderer/) has its own tsconfig: browser code with DOM types and JSX.
  for (const project of ['tsconfig.json', 'renderer/tsconfig.json']) {
    const typecheck = spawnSync('npx', ['tsc', '-p', project, '--noEmit'], { stdio: 'inherit' });
    if (typecheck.status !== 0) {
      console.error(`typecheck failed (${project})`);
      process.exit(typecheck.status ?? 1);
    }
  }
  // Lint rules and import rules (eslint.config.js, .dependency-cruiser.cjs): any error or cycle fails the run.
  const lint = spawnSync('npm', ['run', '--silent', 'lint'], { stdio: 'inherit' });
  if (lint.status !== 0) {
    console.error('lint failed (npm run lint)');
    process.exit(lint.status ?? 1);
  }
}

const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=2', ...files],
  { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } },
);
process.exit(result.status ?? 1);
