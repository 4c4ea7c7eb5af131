// Who may call the bridge: only the main frame of the dashboard window, showing a page of the gateway's own
// origin. A page that navigated elsewhere, an iframe, or another window gets nothing.

export interface IpcSenderFrame {
  url: string;
  /** Null for a top-level frame. */
  parent: unknown;
}

export interface IpcEvent {
  sender: { id: number };
  senderFrame: IpcSenderFrame | null;
}

export interface TrustedSender {
  /** The dashboard window's webContents id, when it is open. */
  webContentsId(): number | undefined;
  /** The origin the dashboard was loaded from (the gateway's), when known. */
  origin(): string | undefined;
}

export function originOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.origin === 'null' ? undefined : parsed.origin;
  } catch {
    return undefined;
  }
}

export function isTrustedSender(event: IpcEvent, trusted: TrustedSender): boolean {
  const expectedId = trusted.webContentsId();
  const expectedOrigin = trusted.origin();
  if (expectedId === undefined || expectedOrigin === undefined) return false;
  if (event.sender.id !== expectedId) return false;
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  return originOf(frame.url) === expectedOrigin;
}
