// A client for any OpenAI-compatible embeddings endpoint (OpenAI, Ollama, LM Studio, vLLM, …): POST
// {model, input: [...]} and read data[i].embedding. EMBEDDING_API_URL may be the base (…/v1) or the full
// …/embeddings URL.

export interface Embedder {
  /** The model id, which also tells stored vectors of different models apart. */
  readonly model: string;
  embed(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]>;
}

export interface EmbedderOptions {
  url: string;
  apiKey?: string | undefined;
  model: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export class EmbeddingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmbeddingError';
  }
}

export function embeddingsUrl(url: string): string {
  const trimmed = url.replace(/\/+$/, '');
  return /\/embeddings$/.test(trimmed) ? trimmed : `${trimmed}/embeddings`;
}

export function createEmbedder(options: EmbedderOptions): Embedder {
  const endpoint = embeddingsUrl(options.url);
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  return {
    model: options.model,
    async embed(texts, signal) {
      if (texts.length === 0) return [];
      const timeout = AbortSignal.timeout(timeoutMs);
      const response = await doFetch(endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
        },
        body: JSON.stringify({ model: options.model, input: texts }),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      if (!response.ok) {
        const detail = (await response.text().catch(() => '')).slice(0, 200);
        throw new EmbeddingError(`embeddings endpoint answered ${response.status}${detail ? `: ${detail}` : ''}`);
      }
      return parseEmbeddings(await response.json(), texts.length);
    },
  };
}

/** data[] sorted by index, each a list of numbers of one common length. */
export function parseEmbeddings(body: unknown, expected: number): Float32Array[] {
  const data = (body as { data?: unknown })?.data;
  if (!Array.isArray(data) || data.length !== expected) throw new EmbeddingError(`expected ${expected} embeddings in data[]`);
  const rows = data
    .map((row, i) => ({ index: typeof row?.index === 'number' ? row.index : i, embedding: row?.embedding as unknown }))
    .sort((a, b) => a.index - b.index);
  let dims = -1;
  return rows.map(({ embedding }) => {
    if (!Array.isArray(embedding) || embedding.length === 0 || !embedding.every((x) => typeof x === 'number' && Number.isFinite(x))) {
      throw new EmbeddingError('an embedding is not a list of numbers');
    }
    if (dims !== -1 && embedding.length !== dims) throw new EmbeddingError('embeddings of different lengths in one answer');
    dims = embedding.length;
    return Float32Array.from(embedding as number[]);
  });
}
