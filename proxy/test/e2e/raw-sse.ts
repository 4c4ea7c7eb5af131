// Reads a gateway SSE response frame by frame with plain fetch, keeping comments (keep-alives) and arrival
// times, which the SDKs hide.
/** A request that hangs fails the test instead of the whole run. */
const REQUEST_TIMEOUT_MS = 20_000;

export interface SseFrame {
  /** Milliseconds since the request was sent. */
  at: number;
  /** `comment` for `: ...` lines, `data` for `data: ...`. */
  kind: 'comment' | 'data';
  text: string;
}

export interface RawSseResult {
  status: number;
  headers: Headers;
  frames: SseFrame[];
  /** Parsed data frames, `[DONE]` excluded. */
  json: any[];
  done: boolean;
}

export async function postSse(url: string, headers: Record<string, string>, body: unknown): Promise<RawSseResult> {
  const started = Date.now();
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const frames: SseFrame[] = [];
  if (!res.body) return { status: res.status, headers: res.headers, frames, json: [], done: false };
  const decoder = new TextDecoder();
  let buffered = '';
  for await (const bytes of res.body as unknown as AsyncIterable<Uint8Array>) {
    buffered += decoder.decode(bytes, { stream: true });
    let end: number;
    while ((end = buffered.indexOf('\n\n')) >= 0) {
      const frame = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      for (const line of frame.split('\n')) {
        if (line.startsWith(':')) frames.push({ at: Date.now() - started, kind: 'comment', text: line.slice(1).trim() });
        else if (line.startsWith('data:')) frames.push({ at: Date.now() - started, kind: 'data', text: line.slice(5).trimStart() });
      }
    }
  }
  const data = frames.filter((f) => f.kind === 'data');
  return {
    status: res.status,
    headers: res.headers,
    frames,
    json: data.filter((f) => f.text !== '[DONE]').map((f) => JSON.parse(f.text)),
    done: data.at(-1)?.text === '[DONE]',
  };
}

/** A non-streaming JSON POST. */
export async function postJson(url: string, headers: Record<string, string>, body: unknown): Promise<{ status: number; headers: Headers; json: any }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  return { status: res.status, headers: res.headers, json: await res.json() };
}
