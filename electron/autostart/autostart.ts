// Start at login, one switch for every platform: the OS login items on macOS and Windows, an XDG autostart entry
// on Linux. Either way the app starts hidden, in the tray.
import type { LoginItemsPort } from '../platform/ports.ts';
import type { LaunchCommand } from './launch-command.ts';
import { setXdgAutostart, xdgAutostartEnabled } from './xdg-autostart.ts';

export interface AutoStart {
  isEnabled(): boolean;
  setEnabled(enabled: boolean): void;
}

export interface AutoStartOptions {
  platform: NodeJS.Platform;
  loginItems: LoginItemsPort;
  command: LaunchCommand;
  /** Where the Linux autostart entry goes. */
  xdgFile: string;
}

export function createAutoStart(options: AutoStartOptions): AutoStart {
  const { platform, loginItems, command, xdgFile } = options;
  if (platform === 'linux' || platform === 'freebsd' || platform === 'openbsd') {
    return {
      isEnabled: () => xdgAutostartEnabled(xdgFile),
      setEnabled: (enabled) => setXdgAutostart(xdgFile, enabled, command),
    };
  }
  if (platform === 'darwin') {
    return {
      isEnabled: () => loginItems.getLoginItemSettings().openAtLogin,
      // openAsHidden is honoured by older macOS; newer ones report wasOpenedAtLogin, which the app also checks.
      setEnabled: (enabled) => loginItems.setLoginItemSettings({ openAtLogin: enabled, openAsHidden: true }),
    };
  }
  // Windows keys the entry by executable and arguments, so queries must name the same ones.
  return {
    isEnabled: () => loginItems.getLoginItemSettings({ path: command.path, args: command.args }).openAtLogin,
    setEnabled: (enabled) => loginItems.setLoginItemSettings({ openAtLogin: enabled, path: command.path, args: command.args }),
  };
}
