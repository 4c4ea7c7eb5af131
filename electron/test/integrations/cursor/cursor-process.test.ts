import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cursorInProcessList, isCursorRunning } from '../../../integrations/cursor/cursor-process.ts';

test('recognises Cursor in each platform’s process list', () => {
  assert.equal(cursorInProcessList('/sbin/launchd\n/Applications/Cursor.app/Contents/MacOS/Cursor\n', 'darwin'), true);
  assert.equal(cursorInProcessList('/Applications/Cursor.app/Contents/Frameworks/Cursor Helper (Renderer).app/x\n', 'darwin'), false);
  assert.equal(cursorInProcessList('systemd\nbash\ncursor\n', 'linux'), true);
  assert.equal(cursorInProcessList('systemd\ncursor-agent-helper\n', 'linux'), false);
  assert.equal(cursorInProcessList('"explorer.exe","4412","Console","1","90,000 K"\r\n"Cursor.exe","9120","Console","1","300,000 K"\r\n', 'win32'), true);
  assert.equal(cursorInProcessList('"explorer.exe","4412","Console","1","90,000 K"\r\n', 'win32'), false);
});

test('an unreadable process list counts as running, so nothing is written under Cursor', async () => {
  assert.equal(await isCursorRunning('linux', async () => { throw new Error('ps missing'); }), true);
  assert.equal(await isCursorRunning('linux', async () => 'bash\n'), false);
});
