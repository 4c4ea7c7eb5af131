// Hash routing: the same build works at /dashboard/ on the gateway and from a file in the desktop app.
import { useEffect, useState } from 'react';

export type Route =
  | { page: 'overview' }
  | { page: 'requests'; id?: string }
  | { page: 'projects'; id?: string }
  | { page: 'reports' }
  | { page: 'settings' };

export function parseRoute(hash: string): Route {
  const [page, id] = hash.replace(/^#\/?/, '').split('?')[0]!.split('/').map((part) => decodeURIComponent(part));
  switch (page) {
    case 'requests':
      return id ? { page: 'requests', id } : { page: 'requests' };
    case 'projects':
      return id ? { page: 'projects', id } : { page: 'projects' };
    case 'reports':
      return { page: 'reports' };
    case 'settings':
      return { page: 'settings' };
    default:
      return { page: 'overview' };
  }
}

export function href(route: Route): string {
  const id = 'id' in route && route.id ? `/${encodeURIComponent(route.id)}` : '';
  return `#/${route.page}${id}`;
}

export function navigate(route: Route): void {
  window.location.hash = href(route);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
