// UPSTREAMS (JSON text) or UPSTREAMS_FILE (a path to the same JSON): read here so env.ts stays one line.
import { readFileSync } from 'node:fs';
import type { Env, EnvReader } from './env-readers.ts';
import { parseUpstreams, type UpstreamConfig } from './upstreams.ts';

/** The configured list, or undefined when neither variable is set (the single-key configuration applies). */
export function readUpstreams(env: Env, read: EnvReader): UpstreamConfig[] | undefined {
  const inline = read.string('UPSTREAMS');
  const file = read.string('UPSTREAMS_FILE');
  if (inline && file) {
    read.fail('UPSTREAMS_FILE', 'cannot be used together with UPSTREAMS: set one of them');
    return undefined;
  }
  let text = inline;
  if (file) {
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      read.fail('UPSTREAMS_FILE', `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
      return undefined;
    }
  }
  if (text === undefined) return undefined;
  const list = parseUpstreams(text, read.problems);
  return list.length > 0 ? Object.freeze(list.map((u) => Object.freeze(u))) as UpstreamConfig[] : undefined;
}
