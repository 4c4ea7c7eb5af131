// GET /dashboard/*: the built dashboard (dist/dashboard, from `npm run build`) served as static files. The files are open; the page
// itself signs in with the admin key and sends it to /admin/*, so nothing here needs a key.
import { readFile, stat } from 'node:fs/promises';
import { extname, join, posix, resolve, sep } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { GatewayError } from '../../errors.ts';
import { PACKAGE_ROOT } from '../../package-root.ts';

export interface DashboardOptions {
  /** Folder holding the built dashboard (index.html and assets/). */
  dir?: string;
}

export const DEFAULT_DASHBOARD_DIR = join(PACKAGE_ROOT, 'dist', 'dashboard');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

// The page loads only its own files and talks only to this origin; React sets styles through the CSSOM, so
// not even inline styles need an exception.
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

// Plain markup with no inline style, so the page keeps to the same policy as the dashboard it stands in for.
const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Dashboard not built</title>
<h1>The dashboard has not been built</h1>
<p>Run <code>npm run build</code> in the gateway's folder (or start it with <code>npm run gateway</code>, which
builds first), then reload this page.</p>`;

/** The file a request path names inside the dashboard folder, or null when it tries to leave it. */
export function dashboardFile(dir: string, requestPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(requestPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\') || decoded.split('/').includes('..')) return null;
  const normalized = posix.normalize(`/${decoded}`).slice(1);
  const root = resolve(dir);
  const file = resolve(join(root, normalized === '' ? 'index.html' : normalized));
  return file === root || file.startsWith(root + sep) ? file : null;
}

function notFound(): GatewayError {
  return new GatewayError({ status: 404, type: 'not_found_error', code: 'unknown_route', message: 'No such dashboard file.' });
}

function securityHeaders(reply: FastifyReply): FastifyReply {
  return reply
    .header('content-security-policy', CSP)
    .header('x-content-type-options', 'nosniff')
    .header('x-frame-options', 'DENY')
    .header('referrer-policy', 'no-referrer');
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

export function registerDashboard(app: FastifyInstance, options: DashboardOptions = {}): void {
  const dir = resolve(options.dir ?? DEFAULT_DASHBOARD_DIR);
  const route = { config: { access: 'open' as const, errorShape: 'openai' as const } };

  // The page's assets are relative, so it must be served from the folder URL with its trailing slash.
  app.get('/dashboard', route, async (_request, reply) => reply.redirect('/dashboard/', 301));

  app.get<{ Params: { '*': string } }>('/dashboard/*', route, async (request, reply) => {
    const requested = request.params['*'] ?? '';
    let file = dashboardFile(dir, requested);
    if (file === null) throw notFound();

    const index = join(dir, 'index.html');
    if (!(await isFile(file))) {
      // Paths without an extension are the page's own routes: they get the page. Missing assets are a 404.
      if (file !== index && extname(file) !== '') throw notFound();
      file = index;
      if (!(await isFile(file))) {
        return securityHeaders(reply).code(503).header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store').send(NOT_BUILT);
      }
    }

    const body = await readFile(file);
    const hashedAsset = file.startsWith(join(dir, 'assets') + sep);
    return securityHeaders(reply)
      .header('content-type', CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream')
      .header('cache-control', hashedAsset ? 'public, max-age=31536000, immutable' : 'no-cache')
      .send(body);
  });
}
