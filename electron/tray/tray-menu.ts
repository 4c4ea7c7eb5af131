// The tray menu as a pure function of the app's state. Items carry an action name instead of a callback, so the
// whole menu can be asserted in tests; the Electron adapter turns names into click handlers.
import type { TodayUsage } from '../gateway/usage-today.ts';

export type GatewayStatus = 'running' | 'starting' | 'stopped' | 'error';

export interface RouteState {
  on: boolean;
  /** A change is in progress (a tunnel starting, files being written). */
  busy: boolean;
  /** One line for the menu, e.g. the public URL or which IDEs were configured. */
  detail?: string;
  error?: string;
}

export interface TrayState {
  status: GatewayStatus;
  port: number;
  /** Why the gateway is in the error state, or a warning while it runs (no Anthropic key). */
  problem?: string;
  today: TodayUsage | null;
  cursor: RouteState;
  localIdes: RouteState;
  startAtLogin: boolean;
}

export type TrayAction =
  | 'start-gateway'
  | 'stop-gateway'
  | 'toggle-cursor'
  | 'copy-cursor-settings'
  | 'toggle-local-ides'
  | 'open-dashboard'
  | 'copy-base-url'
  | 'copy-key'
  | 'toggle-start-at-login'
  | 'quit';

export type TrayMenuItem =
  | { type: 'separator' }
  | { type: 'label'; label: string }
  | { type: 'action'; label: string; action: TrayAction; enabled: boolean }
  | { type: 'checkbox'; label: string; action: TrayAction; enabled: boolean; checked: boolean };

export type TrayIconState = 'running' | 'stopped' | 'error';

const STATUS_TEXT: Record<GatewayStatus, string> = {
  running: 'Running',
  starting: 'Starting…',
  stopped: 'Stopped',
  error: 'Error',
};

export function formatUsd(amount: number): string {
  const sign = amount < 0 ? '-' : '';
  const abs = Math.abs(amount);
  // Cents hide small savings; show a tenth of a cent below one dollar.
  return `${sign}$${abs < 1 && abs > 0 ? abs.toFixed(3) : abs.toFixed(2)}`;
}

export function statusLine(state: TrayState): string {
  if (state.status === 'running' || state.status === 'starting') return `Gateway: ${STATUS_TEXT[state.status]} on 127.0.0.1:${state.port}`;
  return `Gateway: ${STATUS_TEXT[state.status]}`;
}

export function todayLine(state: TrayState): string {
  if (state.status !== 'running' || !state.today) return 'Today: —';
  const { requests, savedUsd } = state.today;
  return `Today: ${requests} ${requests === 1 ? 'request' : 'requests'} · ${formatUsd(savedUsd)} saved`;
}

export function trayIconState(state: TrayState): TrayIconState {
  if (state.status === 'error' || (state.status === 'running' && state.problem)) return 'error';
  return state.status === 'running' ? 'running' : 'stopped';
}

export function trayToolTip(state: TrayState): string {
  const lines = ['Coding Gateway', statusLine(state)];
  if (state.problem) lines.push(state.problem);
  if (state.status === 'running') lines.push(todayLine(state));
  return lines.join('\n');
}

function routeItems(label: string, action: TrayAction, route: RouteState, running: boolean): TrayMenuItem[] {
  const items: TrayMenuItem[] = [
    { type: 'checkbox', label: route.busy ? `${label} (working…)` : label, action, enabled: !route.busy && (running || route.on), checked: route.on },
  ];
  if (route.error) items.push({ type: 'label', label: `   ⚠ ${route.error}` });
  else if (route.on && route.detail) items.push({ type: 'label', label: `   ${route.detail}` });
  return items;
}

export function trayMenu(state: TrayState): TrayMenuItem[] {
  const running = state.status === 'running';
  const items: TrayMenuItem[] = [{ type: 'label', label: statusLine(state) }];
  if (state.problem) items.push({ type: 'label', label: `⚠ ${state.problem}` });
  items.push({ type: 'label', label: todayLine(state) });
  items.push({ type: 'separator' });
  if (running || state.status === 'starting') {
    items.push({ type: 'action', label: 'Stop gateway', action: 'stop-gateway', enabled: running });
  } else {
    items.push({ type: 'action', label: 'Start gateway', action: 'start-gateway', enabled: true });
  }
  items.push({ type: 'separator' });
  items.push(...routeItems('Route Cursor through the gateway', 'toggle-cursor', state.cursor, running));
  if (state.cursor.on && !state.cursor.busy) {
    items.push({ type: 'action', label: 'Copy Cursor settings (URL, key, models)', action: 'copy-cursor-settings', enabled: true });
  }
  items.push(...routeItems('Route Continue/Cline through the gateway', 'toggle-local-ides', state.localIdes, running));
  items.push({ type: 'separator' });
  items.push({ type: 'action', label: 'Open dashboard…', action: 'open-dashboard', enabled: true });
  items.push({ type: 'action', label: 'Copy base URL', action: 'copy-base-url', enabled: true });
  items.push({ type: 'action', label: 'Copy API key', action: 'copy-key', enabled: true });
  items.push({ type: 'separator' });
  items.push({ type: 'checkbox', label: 'Start at login', action: 'toggle-start-at-login', enabled: true, checked: state.startAtLogin });
  items.push({ type: 'separator' });
  items.push({ type: 'action', label: 'Quit Coding Gateway', action: 'quit', enabled: true });
  return items;
}
