// electron-builder cannot run here (it downloads Electron), so its inputs are checked statically: the config
// against electron-builder's own JSON schema, and every file the config and the app refer to.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { inflateSync } from 'node:zlib';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { decodePng, encodePng } from '../../../build/scripts/png.ts';
import { allTrayIconNames } from '../../tray/tray-icons.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const read = (...parts: string[]) => readFileSync(join(root, ...parts));
const config = parse(read('build', 'electron-builder.yml').toString('utf8'));
const pkg = JSON.parse(read('package.json').toString('utf8'));

function validator() {
  const require = createRequire(import.meta.url);
  const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8'));
  return new Ajv({ allErrors: true, strict: false }).compile(schema);
}

describe('electron-builder configuration', () => {
  test('is valid against electron-builder’s own schema, which rejects unknown keys', () => {
    const validate = validator();
    assert.equal(validate(config), true, JSON.stringify(validate.errors));
    assert.equal(validate({ ...config, notAnOption: true }), false);
  });

  test('builds AppImage and deb, a dmg with the hardened runtime, and an nsis installer', () => {
    assert.deepEqual(config.linux.target, ['AppImage', 'deb']);
    assert.deepEqual(config.mac.target, [{ target: 'dmg', arch: ['x64', 'arm64'] }]);
    assert.equal(config.mac.hardenedRuntime, true);
    assert.deepEqual(config.win.target, [{ target: 'nsis', arch: ['x64', 'arm64'] }]);
    assert.equal(config.mac.extendInfo.LSUIElement, true, 'a menu-bar app has no Dock icon at launch');
  });

  test('rebuilds native modules for Electron and keeps them outside the archive', () => {
    assert.equal(config.npmRebuild, true);
    assert.ok(config.asarUnpack.includes('**/*.node'));
    assert.ok(pkg.dependencies['better-sqlite3'], 'the native module is a runtime dependency, so it is packaged and rebuilt');
  });

  test('ships the built app, its entry point and the tray resources', () => {
    assert.equal(pkg.main, 'dist/app/electron/main.js');
    assert.ok(config.files.includes('dist/app/**/*'));
    // The main process imports the gateway's bundle and the gateway serves the built dashboard.
    assert.ok(config.files.includes('dist/gateway/**/*'));
    assert.ok(config.files.includes('dist/dashboard/**/*'));
    assert.ok(config.files.includes('resources/**/*'));
    assert.ok(config.files.includes('package.json'));
    for (const name of ['electron-store', 'yaml', 'jsonc-parser', 'fastify']) assert.ok(pkg.dependencies[name], `${name} is needed at run time`);
    assert.ok(pkg.devDependencies.electron && !pkg.dependencies.electron, 'Electron itself is a build tool, not a dependency');
  });

  test('hardens the Electron binary with fuses', () => {
    assert.deepEqual(config.electronFuses, {
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });

  test('the entitlements file exists, is a plist, and grants only JIT', () => {
    assert.equal(config.mac.entitlements, 'build/entitlements.mac.plist');
    assert.equal(config.mac.entitlementsInherit, 'build/entitlements.mac.plist');
    const plist = read('build', 'entitlements.mac.plist').toString('utf8');
    assert.match(plist, /^<\?xml version="1\.0" encoding="UTF-8"\?>/);
    assert.match(plist, /<!DOCTYPE plist PUBLIC "-\/\/Apple\/\/DTD PLIST 1\.0\/\/EN"/);
    const keys = [...plist.matchAll(/<key>([^<]+)<\/key>/g)].map((m) => m[1]);
    assert.deepEqual(keys, ['com.apple.security.cs.allow-jit']);
    assert.match(plist, /<key>com\.apple\.security\.cs\.allow-jit<\/key>\s*<true\/>/);
  });

  test('npm scripts build, run and package the app', () => {
    assert.equal(pkg.scripts.app, 'node build/scripts/build-app.mjs && electron .');
    assert.match(pkg.scripts.package, /electron-builder --config build\/electron-builder\.yml$/);
    const script = read('build', 'scripts', 'build-app.mjs').toString('utf8');
    assert.match(script, /bundleGateway/, 'the app is built on the same gateway bundle as the headless gateway');
  });
});

describe('icons', () => {
  test('the app icon is a 1024 px RGBA PNG (electron-builder makes .icns and .ico from it)', () => {
    assert.equal(config.mac.icon, 'build/icon.png');
    const icon = decodePng(read('build', 'icon.png'), inflateSync);
    assert.deepEqual([icon.width, icon.height, icon.colourType], [1024, 1024, 6]);
    const window = decodePng(read('resources', 'icon.png'), inflateSync);
    assert.deepEqual([window.width, window.height], [256, 256]);
  });

  test('every tray image exists at 16 px and 32 px (@2x); template images are black with alpha', () => {
    for (const name of allTrayIconNames()) {
      const one = decodePng(read('resources', 'tray', name), inflateSync);
      const two = decodePng(read('resources', 'tray', name.replace('.png', '@2x.png')), inflateSync);
      assert.deepEqual([one.width, one.height, two.width, two.height], [16, 16, 32, 32], name);
      const alphas = [...two.rgba.filter((_, i) => i % 4 === 3)];
      assert.ok(alphas.some((a) => a === 255) && alphas.some((a) => a === 0), `${name} has a shape on a clear background`);
      if (name.includes('Template')) {
        for (let i = 0; i < two.rgba.length; i += 4) assert.deepEqual([two.rgba[i], two.rgba[i + 1], two.rgba[i + 2]], [0, 0, 0], name);
      }
    }
    assert.ok(existsSync(join(root, 'resources', 'tray', 'trayRunningTemplate@2x.png')));
  });

  test('the PNG encoder round-trips', () => {
    const pixels = new Uint8Array([255, 0, 0, 255, 0, 255, 0, 128, 0, 0, 255, 0, 1, 2, 3, 4]);
    const decoded = decodePng(encodePng(2, 2, pixels), inflateSync);
    assert.deepEqual([decoded.width, decoded.height], [2, 2]);
    assert.deepEqual([...decoded.rgba], [...pixels]);
  });
});
