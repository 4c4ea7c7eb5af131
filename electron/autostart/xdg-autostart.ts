// Linux start at login: an XDG autostart entry (~/.config/autostart/*.desktop), which GNOME, KDE, Xfce and the
// other freedesktop sessions run when the user logs in.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { LaunchCommand } from './launch-command.ts';

export const AUTOSTART_FILE_NAME = 'coding-gateway.desktop';
const MARKER = 'X-Coding-Gateway-Autostart=true';

export function autostartFilePath(env: Record<string, string | undefined>, home: string): string {
  const configHome = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith('/') ? env.XDG_CONFIG_HOME : join(home, '.config');
  return join(configHome, 'autostart', AUTOSTART_FILE_NAME);
}

const RESERVED = /[\s"'\\><~|&;$*?#()`]/;

/**
 * One Exec argument, per the Desktop Entry spec: quoted when it holds a reserved character, with ", `, $ and \
 * escaped inside the quotes, % doubled; then the whole value's backslashes doubled again, because the file's
 * string escaping is undone before the Exec quoting is read.
 */
export function quoteExecArg(arg: string): string {
  let value = arg.replace(/%/g, '%%');
  if (value === '' || RESERVED.test(value)) value = `"${value.replace(/(["`$\\])/g, '\\$1')}"`;
  return value.replace(/\\/g, '\\\\');
}

export function desktopEntry(command: LaunchCommand): string {
  const exec = [command.path, ...command.args].map(quoteExecArg).join(' ');
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Version=1.0',
    'Name=Coding Gateway',
    'Comment=Starts the Coding Gateway in the system tray',
    `Exec=${exec}`,
    'Icon=coding-gateway',
    'Terminal=false',
    'Categories=Development;',
    'X-GNOME-Autostart-enabled=true',
    MARKER,
    '',
  ].join('\n');
}

export function xdgAutostartEnabled(file: string): boolean {
  if (!existsSync(file)) return false;
  const text = readFileSync(file, 'utf8');
  // Session managers honour these two to switch an entry off without deleting it.
  return !/^Hidden\s*=\s*true\s*$/m.test(text) && !/^X-GNOME-Autostart-enabled\s*=\s*false\s*$/m.test(text);
}

export function setXdgAutostart(file: string, enabled: boolean, command: LaunchCommand): void {
  if (enabled) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, desktopEntry(command), { mode: 0o644 });
  } else {
    rmSync(file, { force: true });
  }
}
