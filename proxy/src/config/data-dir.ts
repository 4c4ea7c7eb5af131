import { homedir } from 'node:os';
import { join } from 'node:path';

const APP_FOLDER = 'Coding Gateway';

/** The platform's per-user application-data folder, as Electron's app.getPath('userData') would choose it. */
export function defaultDataDir(
  platform: NodeJS.Platform = process.platform,
  env: Record<string, string | undefined> = process.env,
  home: string = homedir(),
): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), APP_FOLDER);
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_FOLDER);
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'coding-gateway');
}
