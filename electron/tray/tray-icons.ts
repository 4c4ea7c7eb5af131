// Which image the tray shows. macOS gets template images (black and alpha, named *Template so the system tints
// them for light and dark menu bars, with @2x picked up automatically); Windows and Linux get coloured ones.
import { join } from 'node:path';
import type { TrayIconState } from './tray-menu.ts';

const TEMPLATE_NAMES: Record<TrayIconState, string> = {
  running: 'trayRunningTemplate.png',
  stopped: 'trayStoppedTemplate.png',
  error: 'trayErrorTemplate.png',
};

const COLOUR_NAMES: Record<TrayIconState, string> = {
  running: 'tray-running.png',
  stopped: 'tray-stopped.png',
  error: 'tray-error.png',
};

export function trayIconPath(resourcesDir: string, state: TrayIconState, platform: NodeJS.Platform): string {
  const names = platform === 'darwin' ? TEMPLATE_NAMES : COLOUR_NAMES;
  return join(resourcesDir, 'tray', names[state]);
}

/** Every tray image the app can ask for (1x names; each has an @2x beside it). */
export function allTrayIconNames(): string[] {
  return [...Object.values(TEMPLATE_NAMES), ...Object.values(COLOUR_NAMES)];
}
