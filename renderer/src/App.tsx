// The dashboard shell: who is signed in, the navigation, and which page shows.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { createClient, type AdminClient } from './api/client.ts';
import { clearAdminKey, loadAdminKey, saveAdminKey } from './api/session.ts';
import { getBridge, type GatewayBridge } from './bridge.ts';
import { ErrorState, Loading } from './components/states.tsx';
import type { Project } from './api/types.ts';
import { AppContext, useApp, type AppContextValue } from './lib/context.ts';
import { href, useRoute, type Route } from './lib/router.ts';
import { useResource, type Resource } from './lib/use-resource.ts';
import { Login, Logo } from './pages/Login.tsx';
import { Overview } from './pages/Overview.tsx';
import { Projects } from './pages/Projects.tsx';
import { Reports } from './pages/Reports.tsx';
import { RequestDetail } from './pages/RequestDetail.tsx';
import { Requests } from './pages/Requests.tsx';
import { Settings } from './pages/Settings.tsx';

type Session = { state: 'connecting' } | { state: 'signed-out'; notice?: string } | { state: 'failed'; error: Error } | { state: 'ready'; client: AdminClient };

export function App() {
  const bridge = useMemo(getBridge, []);
  const [session, setSession] = useState<Session>(() => {
    if (bridge) return { state: 'connecting' };
    const key = loadAdminKey();
    return key ? { state: 'ready', client: createClient({ baseUrl: location.origin, adminKey: key }) } : { state: 'signed-out' };
  });

  useEffect(() => {
    if (!bridge) return;
    bridge.getConnection().then(
      (connection) => setSession({ state: 'ready', client: createClient(connection) }),
      (error: unknown) => setSession({ state: 'failed', error: error instanceof Error ? error : new Error(String(error)) }),
    );
  }, [bridge]);

  const signOut = useCallback(
    (notice?: string) => {
      clearAdminKey();
      setSession(bridge ? { state: 'failed', error: new Error(notice ?? 'The gateway refused the desktop app’s admin key.') } : { state: 'signed-out', notice });
    },
    [bridge],
  );

  if (session.state === 'signed-out') {
    return (
      <Login
        baseUrl={location.origin}
        notice={session.notice}
        onSignedIn={(key) => {
          saveAdminKey(key);
          setSession({ state: 'ready', client: createClient({ baseUrl: location.origin, adminKey: key }) });
        }}
      />
    );
  }
  if (session.state === 'connecting') return <main className="boot"><Loading label="Connecting to the gateway" /></main>;
  if (session.state === 'failed') return <main className="boot"><ErrorState error={session.error} onRetry={() => location.reload()} /></main>;

  return (
    <AppContext.Provider value={{ client: session.client, bridge, signOut }}>
      <Shell bridge={bridge} signOut={signOut} />
    </AppContext.Provider>
  );
}

const NAV: Array<{ page: Route['page']; label: string; icon: string }> = [
  { page: 'overview', label: 'Overview', icon: 'M4 13h6V4H4zM14 20h6V11h-6zM4 20h6v-4H4zM14 4v4h6V4z' },
  { page: 'requests', label: 'Requests', icon: 'M4 6h16M4 12h16M4 18h10' },
  { page: 'projects', label: 'Projects and keys', icon: 'M14.5 9.5a4 4 0 1 1-1.2 2.9L4 21.7V18h2.5v-2.5H9l1.8-1.8' },
  { page: 'reports', label: 'Reports', icon: 'M7 3h7l5 5v13H7zM14 3v5h5M10 13h6M10 17h6' },
  { page: 'settings', label: 'Settings', icon: 'M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM19.4 13a7.5 7.5 0 0 0 0-2l2-1.6-2-3.4-2.4 1a7.5 7.5 0 0 0-1.7-1L15 3h-4l-.3 3a7.5 7.5 0 0 0-1.7 1l-2.4-1-2 3.4 2 1.6a7.5 7.5 0 0 0 0 2l-2 1.6 2 3.4 2.4-1a7.5 7.5 0 0 0 1.7 1l.3 3h4l.3-3a7.5 7.5 0 0 0 1.7-1l2.4 1 2-3.4z' },
];

function Shell({ bridge, signOut }: { bridge: GatewayBridge | undefined; signOut: AppContextValue['signOut'] }) {
  const route = useRoute();
  const { client } = useApp();
  const projects = useResource(() => client.projects().then((r) => r.data), [client]);

  return (
    <div className="shell">
      <aside className="sidebar no-print">
        <div className="brand">
          <Logo />
          <span>Coding Gateway</span>
        </div>
        <nav aria-label="Dashboard">
          {NAV.map((item) => (
            <a key={item.page} href={href({ page: item.page } as Route)} className={`nav-link${route.page === item.page ? ' active' : ''}`} aria-current={route.page === item.page ? 'page' : undefined}>
              <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="1.7" strokeLinecap="round" strokeLinejoin="round">
                <path d={item.icon} />
              </svg>
              {item.label}
            </a>
          ))}
        </nav>
        <div className="sidebar-footer">
          <div className="muted small mono wrap">{client.baseUrl.replace(/^https?:\/\//, '')}</div>
          {!bridge && (
            <button type="button" className="btn btn-ghost btn-small" onClick={() => signOut()}>
              Sign out
            </button>
          )}
        </div>
      </aside>
      <main className="content">
        <Page route={route} projects={projects} />
      </main>
    </div>
  );
}

function Page({ route, projects }: { route: Route; projects: Resource<Project[]> }) {
  switch (route.page) {
    case 'overview':
      return <Overview projects={projects.data} />;
    case 'requests':
      return route.id ? <RequestDetail id={route.id} /> : <Requests projects={projects.data} />;
    case 'projects':
      return <Projects projects={projects} selectedId={route.id} />;
    case 'reports':
      return <Reports projects={projects.data} />;
    case 'settings':
      return <Settings />;
  }
}
