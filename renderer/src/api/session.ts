// The admin key lives in sessionStorage: it survives a reload but not closing the tab, and never touches disk
// in a long-lived store.
const KEY = 'coding-gateway.admin-key';

export function loadAdminKey(storage: Pick<Storage, 'getItem'> = sessionStorage): string | null {
  try {
    return storage.getItem(KEY);
  } catch {
    return null;
  }
}

export function saveAdminKey(key: string, storage: Pick<Storage, 'setItem'> = sessionStorage): void {
  try {
    storage.setItem(KEY, key);
  } catch {
    /* storage disabled: the key lasts as long as the page */
  }
}

export function clearAdminKey(storage: Pick<Storage, 'removeItem'> = sessionStorage): void {
  try {
    storage.removeItem(KEY);
  } catch {
    /* nothing stored */
  }
}
