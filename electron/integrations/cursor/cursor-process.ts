// Whether Cursor is running: it keeps its settings in memory and writes them back over any edit made to its
// database meanwhile, so the toggle only writes there while Cursor is closed.
import { execFile } from 'node:child_process';

export function cursorInProcessList(output: string, platform: NodeJS.Platform): boolean {
  const lines = output.split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
  if (platform === 'win32') {
    // tasklist /fo csv /nh: "Cursor.exe","1234",...
    return lines.some((line) => /^"cursor\.exe"/i.test(line));
  }
  if (platform === 'darwin') {
    return lines.some((line) => line.endsWith('/Cursor.app/Contents/MacOS/Cursor') || line === 'Cursor');
  }
  // Linux: the AppImage or .deb binary is "cursor"; ps -o comm shows the executable's name.
  return lines.some((line) => line === 'cursor' || line.endsWith('/cursor') || /^cursor(\.appimage)?$/i.test(line.split('/').pop() ?? ''));
}

export function listProcesses(platform: NodeJS.Platform): Promise<string> {
  const [command, args] = platform === 'win32' ? ['tasklist', ['/fo', 'csv', '/nh']] : ['ps', ['-A', '-o', 'comm=']];
  return new Promise((resolve, reject) => {
    execFile(command, args as string[], { maxBuffer: 8 * 1024 * 1024, windowsHide: true }, (error, stdout) => {
      if (error) reject(error);
      else resolve(stdout);
    });
  });
}

export async function isCursorRunning(platform: NodeJS.Platform, list = listProcesses): Promise<boolean> {
  try {
    return cursorInProcessList(await list(platform), platform);
  } catch {
    // Unknown counts as running: never write under a live Cursor.
    return true;
  }
}
