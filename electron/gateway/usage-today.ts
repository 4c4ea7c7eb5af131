// Today's figures for the tray: asked of the running gateway's admin API in-process (Fastify's inject), so no
// socket, port or CORS is involved and the admin key never leaves the process.

export interface TodayUsage {
  requests: number;
  savedUsd: number;
}

/** The slice of a Fastify app this reader needs. */
export interface InjectTarget {
  inject(options: { method: 'GET'; url: string; headers: Record<string, string> }): PromiseLike<{ statusCode: number; body: string }>;
}

/** Midnight of `now`'s local day: "today" is the user's day, not UTC's. */
export function startOfLocalDay(now: Date): Date {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate());
}

/** Null when the gateway cannot say (not running, no usage store, an error): the tray then shows a dash. */
export async function readTodayUsage(app: InjectTarget | undefined, adminKey: string, now: Date): Promise<TodayUsage | null> {
  if (!app) return null;
  const query = new URLSearchParams({ from: startOfLocalDay(now).toISOString(), to: now.toISOString() });
  try {
    const response = await app.inject({
      method: 'GET',
      url: `/admin/usage?${query}`,
      headers: { authorization: `Bearer ${adminKey}`, host: '127.0.0.1' },
    });
    if (response.statusCode !== 200) return null;
    const totals = (JSON.parse(response.body) as { totals?: { requests?: unknown; savedUsd?: unknown } }).totals;
    if (typeof totals?.requests !== 'number' || typeof totals.savedUsd !== 'number') return null;
    return { requests: totals.requests, savedUsd: totals.savedUsd };
  } catch {
    return null;
  }
}
