// Installs one ipcMain handler per bridge method. Each call is checked in order: the sender, then the arguments;
// only then does the handler run. Refusals throw, which the renderer sees as a rejected promise.
import { BRIDGE_CHANNELS, BRIDGE_METHODS, type BridgeHandlers, type BridgeMethod } from './contract.ts';
import { isTrustedSender, type IpcEvent, type TrustedSender } from './sender.ts';
import { validateArgs, type ValidationContext } from './validate-args.ts';

export interface IpcMainPort {
  handle(channel: string, listener: (event: IpcEvent, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

export class IpcSenderError extends Error {
  constructor(method: string) {
    super(`Refused ${method}: the caller is not the dashboard window.`);
    this.name = 'IpcSenderError';
  }
}

export interface RegisterOptions {
  ipcMain: IpcMainPort;
  trusted: TrustedSender;
  handlers: BridgeHandlers;
  validation: () => ValidationContext;
  /** Told about each refusal (for the log); never about the arguments, which may hold a key. */
  onRefused?: (method: BridgeMethod, reason: string) => void;
}

export function registerBridgeHandlers(options: RegisterOptions): () => void {
  const { ipcMain, trusted, handlers } = options;
  for (const method of BRIDGE_METHODS) {
    ipcMain.handle(BRIDGE_CHANNELS[method], async (event, ...args) => {
      if (!isTrustedSender(event, trusted)) {
        options.onRefused?.(method, 'untrusted sender');
        throw new IpcSenderError(method);
      }
      let valid: unknown[];
      try {
        valid = validateArgs(method, args, options.validation());
      } catch (error) {
        options.onRefused?.(method, 'invalid arguments');
        throw error;
      }
      const handler = handlers[method] as (...a: unknown[]) => unknown;
      return handler(...valid);
    });
  }
  return () => {
    for (const method of BRIDGE_METHODS) ipcMain.removeHandler(BRIDGE_CHANNELS[method]);
  };
}
