// Where the IDEs keep their settings, per platform. Everything is derived from an injected home folder and
// environment, so tests point it at a temporary home.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface HomeContext {
  home: string;
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
}

/** The per-user folder VS Code-family editors keep "User/settings.json" under. */
export function appDataDir(ctx: HomeContext): string {
  if (ctx.platform === 'win32') return ctx.env.APPDATA ?? join(ctx.home, 'AppData', 'Roaming');
  if (ctx.platform === 'darwin') return join(ctx.home, 'Library', 'Application Support');
  return ctx.env.XDG_CONFIG_HOME ?? join(ctx.home, '.config');
}

export interface Editor {
  name: string;
  /** Folder of installed extensions. */
  extensionsDir: string;
  /** The user settings file. */
  settingsFile: string;
}

/** VS Code and the editors built from it that run the Roo, Cline and Continue extensions. */
export function vscodeFamily(ctx: HomeContext): Editor[] {
  const data = appDataDir(ctx);
  const editor = (name: string, dotDir: string, dataName: string): Editor => ({
    name,
    extensionsDir: join(ctx.home, dotDir, 'extensions'),
    settingsFile: join(data, dataName, 'User', 'settings.json'),
  });
  return [
    editor('VS Code', '.vscode', 'Code'),
    editor('VS Code Insiders', '.vscode-insiders', 'Code - Insiders'),
    editor('VSCodium', '.vscode-oss', 'VSCodium'),
    editor('Cursor', '.cursor', 'Cursor'),
    editor('Windsurf', '.windsurf', 'Windsurf'),
  ];
}

/** Whether an extension (publisher.name, case-insensitive) is installed in an editor. */
export function hasExtension(editor: Editor, extensionId: string): boolean {
  if (!existsSync(editor.extensionsDir)) return false;
  const prefix = `${extensionId.toLowerCase()}-`;
  return readdirSync(editor.extensionsDir).some((entry) => entry.toLowerCase().startsWith(prefix));
}

export function continueConfigDir(ctx: HomeContext): string {
  return ctx.env.CONTINUE_GLOBAL_DIR ?? join(ctx.home, '.continue');
}

export function clineDataDir(ctx: HomeContext): string {
  return join(ctx.env.CLINE_DIR ?? join(ctx.home, '.cline'), 'data');
}

export function cursorStateDb(ctx: HomeContext): string {
  return join(appDataDir(ctx), 'Cursor', 'User', 'globalStorage', 'state.vscdb');
}
