// What every answer to a hostile request must be: below 500, in time, and in the caller's API's error shape.
export interface HostileStats {
  generated: number;
  overSockets: number;
  byStatus: Record<string, number>;
  serverErrors: number;
  hangs: number;
  badShapes: number;
  fakeRejections: number;
  failures: string[];
}

export function newStats(): HostileStats {
  return { generated: 0, overSockets: 0, byStatus: {}, serverErrors: 0, hangs: 0, badShapes: 0, fakeRejections: 0, failures: [] };
}

const isString = (v: unknown) => typeof v === 'string';

/** The error body of an OpenAI route, or of the Anthropic pass-through (`/v1/messages…`). */
export function errorShapeProblem(path: string, status: number, contentType: string | undefined, body: string): string | undefined {
  if (status < 400) return undefined;
  if (!/json/.test(contentType ?? '')) return `error answered as ${contentType ?? 'no content type'}`;
  let parsed: any;
  try {
    parsed = JSON.parse(body);
  } catch {
    return 'error body is not JSON';
  }
  if (path.startsWith('/v1/messages')) {
    return parsed?.type === 'error' && isString(parsed.error?.type) && isString(parsed.error?.message) ? undefined : 'not Anthropic error shape';
  }
  const e = parsed?.error;
  const ok = isString(e?.message) && isString(e?.type) && 'param' in e && 'code' in e && Object.keys(parsed).length === 1;
  return ok ? undefined : 'not OpenAI error shape';
}

export function note(stats: HostileStats, what: string, example: string): void {
  if (stats.failures.length < 20) stats.failures.push(`${what}: ${example.slice(0, 400)}`);
}

export function summary(stats: HostileStats): string {
  return [
    `hostile requests: ${stats.generated} generated (${stats.overSockets} over raw sockets)`,
    `5xx: ${stats.serverErrors}, hangs: ${stats.hangs}, bad shapes: ${stats.badShapes}, fake rejections: ${stats.fakeRejections}`,
    `statuses: ${Object.entries(stats.byStatus).sort().map(([s, n]) => `${s}=${n}`).join(' ')}`,
  ].join('\n');
}
