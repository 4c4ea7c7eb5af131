// How the system should start the app at login: the same executable the user runs, plus --hidden so the app
// starts in the tray without opening a window.

export const HIDDEN_FLAG = '--hidden';

export interface LaunchContext {
  platform: NodeJS.Platform;
  /** process.execPath: the app's executable, or the electron binary when run from source. */
  execPath: string;
  /** app.getAppPath(): the folder `electron .` was given when run from source. */
  appPath: string;
  isPackaged: boolean;
  env: Record<string, string | undefined>;
}

export interface LaunchCommand {
  path: string;
  args: string[];
}

export function launchCommand(ctx: LaunchContext): LaunchCommand {
  // An AppImage runs from a temporary mount that changes every start; the image file itself is what to launch.
  if (ctx.platform === 'linux' && ctx.isPackaged && ctx.env.APPIMAGE) return { path: ctx.env.APPIMAGE, args: [HIDDEN_FLAG] };
  if (ctx.isPackaged) return { path: ctx.execPath, args: [HIDDEN_FLAG] };
  return { path: ctx.execPath, args: [ctx.appPath, HIDDEN_FLAG] };
}

/** True when the app was started at login (or asked to stay hidden) rather than opened by the user. */
export function launchedHidden(argv: readonly string[], wasOpenedAtLogin = false): boolean {
  return wasOpenedAtLogin || argv.includes(HIDDEN_FLAG);
}
