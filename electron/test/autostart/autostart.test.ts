import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { createAutoStart } from '../../autostart/autostart.ts';
import { launchCommand, launchedHidden } from '../../autostart/launch-command.ts';
import { autostartFilePath, desktopEntry, quoteExecArg } from '../../autostart/xdg-autostart.ts';
import type { LoginItemSettingsInput, LoginItemsPort } from '../../platform/ports.ts';
import { tempHome, type TempHome } from '../helpers/temp-home.ts';

function fakeLoginItems() {
  const calls: LoginItemSettingsInput[] = [];
  const queries: Array<{ path?: string; args?: string[] } | undefined> = [];
  let open = false;
  const port: LoginItemsPort = {
    setLoginItemSettings: (settings) => {
      calls.push(settings);
      open = settings.openAtLogin;
    },
    getLoginItemSettings: (options) => {
      queries.push(options);
      return { openAtLogin: open };
    },
  };
  return { port, calls, queries };
}

describe('launch command', () => {
  test('packaged apps start themselves hidden; AppImages start the image, not its temporary mount', () => {
    const base = { execPath: '/tmp/.mount_Coding/coding-gateway', appPath: '/tmp/.mount_Coding/resources/app.asar', isPackaged: true };
    assert.deepEqual(launchCommand({ ...base, platform: 'linux', env: { APPIMAGE: '/home/me/Apps/Coding Gateway.AppImage' } }), {
      path: '/home/me/Apps/Coding Gateway.AppImage',
      args: ['--hidden'],
    });
    assert.deepEqual(launchCommand({ ...base, platform: 'linux', env: {} }), { path: '/tmp/.mount_Coding/coding-gateway', args: ['--hidden'] });
    assert.deepEqual(launchCommand({ ...base, platform: 'win32', execPath: 'C:\\Apps\\Coding Gateway.exe', env: {} }), {
      path: 'C:\\Apps\\Coding Gateway.exe',
      args: ['--hidden'],
    });
  });

  test('from source the electron binary gets the app folder first', () => {
    assert.deepEqual(
      launchCommand({ platform: 'linux', execPath: '/src/node_modules/electron/dist/electron', appPath: '/src', isPackaged: false, env: {} }),
      { path: '/src/node_modules/electron/dist/electron', args: ['/src', '--hidden'] },
    );
  });

  test('a hidden launch is told by the flag or by macOS’s login flag', () => {
    assert.equal(launchedHidden(['/app', '--hidden']), true);
    assert.equal(launchedHidden(['/app'], true), true);
    assert.equal(launchedHidden(['/app']), false);
  });
});

describe('Linux: XDG autostart entry', () => {
  let t: TempHome;
  beforeEach(() => (t = tempHome()));
  afterEach(() => t.remove());

  test('on writes a desktop entry that starts the app hidden; off removes it', () => {
    const file = autostartFilePath({}, t.home);
    assert.equal(file, t.path('.config', 'autostart', 'coding-gateway.desktop'));
    const command = { path: '/home/me/Apps/Coding Gateway.AppImage', args: ['--hidden'] };
    const autostart = createAutoStart({ platform: 'linux', loginItems: fakeLoginItems().port, command, xdgFile: file });
    assert.equal(autostart.isEnabled(), false);
    autostart.setEnabled(true);
    assert.equal(autostart.isEnabled(), true);
    assert.equal(
      readFileSync(file, 'utf8'),
      [
        '[Desktop Entry]',
        'Type=Application',
        'Version=1.0',
        'Name=Coding Gateway',
        'Comment=Starts the Coding Gateway in the system tray',
        'Exec="/home/me/Apps/Coding Gateway.AppImage" --hidden',
        'Icon=coding-gateway',
        'Terminal=false',
        'Categories=Development;',
        'X-GNOME-Autostart-enabled=true',
        'X-Coding-Gateway-Autostart=true',
        '',
      ].join('\n'),
    );
    autostart.setEnabled(false);
    assert.equal(autostart.isEnabled(), false);
  });

  test('an entry the session switched off counts as off', () => {
    const file = autostartFilePath({ XDG_CONFIG_HOME: t.path('cfg') }, t.home);
    assert.equal(file, t.path('cfg', 'autostart', 'coding-gateway.desktop'));
    const autostart = createAutoStart({ platform: 'linux', loginItems: fakeLoginItems().port, command: { path: '/usr/bin/coding-gateway', args: ['--hidden'] }, xdgFile: file });
    autostart.setEnabled(true);
    writeFileSync(file, readFileSync(file, 'utf8').replace('X-GNOME-Autostart-enabled=true', 'X-GNOME-Autostart-enabled=false'));
    assert.equal(autostart.isEnabled(), false);
  });

  test('Exec arguments are quoted and escaped as the Desktop Entry spec asks', () => {
    assert.equal(quoteExecArg('/usr/bin/app'), '/usr/bin/app');
    assert.equal(quoteExecArg('/opt/My App/app'), '"/opt/My App/app"');
    assert.equal(quoteExecArg('/opt/$HOME/a"b'), '"/opt/\\\\$HOME/a\\\\"b"');
    assert.equal(quoteExecArg('100%'), '100%%');
    assert.match(desktopEntry({ path: '/a b/electron', args: ['/src dir', '--hidden'] }), /^Exec="\/a b\/electron" "\/src dir" --hidden$/m);
  });
});

describe('macOS and Windows: login items', () => {
  test('macOS asks for a hidden start', () => {
    const { port, calls } = fakeLoginItems();
    const autostart = createAutoStart({ platform: 'darwin', loginItems: port, command: { path: '/Applications/Coding Gateway.app/Contents/MacOS/Coding Gateway', args: ['--hidden'] }, xdgFile: '/unused' });
    autostart.setEnabled(true);
    assert.equal(autostart.isEnabled(), true);
    autostart.setEnabled(false);
    assert.deepEqual(calls, [
      { openAtLogin: true, openAsHidden: true },
      { openAtLogin: false, openAsHidden: true },
    ]);
  });

  test('Windows registers the executable with --hidden and queries with the same pair', () => {
    const { port, calls, queries } = fakeLoginItems();
    const command = { path: 'C:\\Users\\me\\AppData\\Local\\Programs\\Coding Gateway\\Coding Gateway.exe', args: ['--hidden'] };
    const autostart = createAutoStart({ platform: 'win32', loginItems: port, command, xdgFile: '/unused' });
    autostart.setEnabled(true);
    assert.equal(autostart.isEnabled(), true);
    assert.deepEqual(calls, [{ openAtLogin: true, path: command.path, args: ['--hidden'] }]);
    assert.deepEqual(queries, [{ path: command.path, args: ['--hidden'] }]);
  });
});
