// What every page needs: the admin client, a way to sign out, and the desktop bridge when there is one.
import { createContext, useContext } from 'react';
import type { AdminClient } from '../api/client.ts';
import type { GatewayBridge } from '../bridge.ts';

export interface AppContextValue {
  client: AdminClient;
  bridge: GatewayBridge | undefined;
  signOut(reason?: string): void;
}

export const AppContext = createContext<AppContextValue | null>(null);

export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('useApp outside the signed-in dashboard');
  return value;
}
