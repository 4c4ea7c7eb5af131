// The object the preload exposes as `window.gateway`: one method per action, each forwarding exactly its
// declared arguments to its own channel. Nothing else from ipcRenderer reaches the page.
import { BRIDGE_CHANNELS, BRIDGE_METHODS, type BridgeMethod, type DesktopBridge } from './contract.ts';

export type Invoke = (channel: string, ...args: unknown[]) => Promise<unknown>;

const ARITY: Readonly<Record<BridgeMethod, number>> = {
  getConnection: 0,
  getSettings: 0,
  updateSettings: 1,
  setAnthropicKey: 1,
  setUpstreams: 1,
  testStorage: 1,
  printReportToPdf: 0,
};

export function createBridge(invoke: Invoke): DesktopBridge {
  const bridge = {} as Record<BridgeMethod, (...args: unknown[]) => Promise<unknown>>;
  for (const method of BRIDGE_METHODS) {
    const channel = BRIDGE_CHANNELS[method];
    const arity = ARITY[method];
    bridge[method] = (...args: unknown[]) => invoke(channel, ...args.slice(0, arity));
  }
  return Object.freeze(bridge) as unknown as DesktopBridge;
}
