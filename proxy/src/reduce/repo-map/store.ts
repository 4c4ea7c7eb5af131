// The per-project repo map: for every file the gateway has seen in tool results, its path and top-level
// symbols. It is also the parse memo (by content hash), so a file resent every turn is parsed once. Entries
// unused for FILE_HASH_CACHE_TTL seconds are dropped. The store's clock is injected; what a request gets
// from it depends only on the request's own content, never on what other requests left here.
import { sha256Hex } from '../hash.ts';
import type { SymbolParser } from './parser.ts';
import { renderSymbols, type FileSymbol } from './symbols.ts';

interface Parsed {
  symbols: FileSymbol[] | undefined;
  usedAt: number;
}

export interface ProjectFile {
  path: string;
  symbols: string;
  seenAt: number;
}

export interface RepoMapStoreOptions {
  ttlSeconds: number;
  now: () => number;
  /** Bound on memo entries, oldest dropped first. */
  maxEntries?: number;
}

export class RepoMapStore {
  private readonly parsed = new Map<string, Parsed>();
  private readonly projects = new Map<string, Map<string, ProjectFile>>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private sinceSweep = 0;

  constructor(
    private readonly parser: SymbolParser,
    private readonly options: RepoMapStoreOptions,
  ) {
    this.ttlMs = options.ttlSeconds * 1000;
    this.maxEntries = options.maxEntries ?? 20_000;
  }

  supports(path: string): boolean {
    return this.parser.supports(path);
  }

  /** The file's symbols rendered on one line, or undefined for a language without a grammar. */
  describe(path: string, content: string, projectId = 'default'): string | undefined {
    const now = this.options.now();
    this.sweep(now);
    const key = `${path}\u0000${sha256Hex(content)}`;
    let entry = this.parsed.get(key);
    if (!entry) {
      entry = { symbols: this.parser.symbols(path, content), usedAt: now };
      this.parsed.set(key, entry);
    } else {
      entry.usedAt = now;
      // Keep recently used entries at the end, for the size bound.
      this.parsed.delete(key);
      this.parsed.set(key, entry);
    }
    if (!entry.symbols) return undefined;
    const rendered = renderSymbols(entry.symbols);
    let files = this.projects.get(projectId);
    if (!files) this.projects.set(projectId, (files = new Map()));
    files.set(path, { path, symbols: rendered, seenAt: now });
    return rendered;
  }

  /** Every file seen for a project and not yet expired, by path. */
  projectMap(projectId = 'default'): ProjectFile[] {
    this.sweep(this.options.now(), true);
    return [...(this.projects.get(projectId)?.values() ?? [])].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  private sweep(now: number, force = false): void {
    if (!force && ++this.sinceSweep < 200 && this.parsed.size <= this.maxEntries) return;
    this.sinceSweep = 0;
    for (const [key, entry] of this.parsed) if (now - entry.usedAt > this.ttlMs) this.parsed.delete(key);
    while (this.parsed.size > this.maxEntries) this.parsed.delete(this.parsed.keys().next().value!);
    for (const files of this.projects.values()) for (const [path, file] of files) if (now - file.seenAt > this.ttlMs) files.delete(path);
  }
}

/** Loads the grammars and builds a store; the only asynchronous step, done once at startup. */
export async function createRepoMapStore(options: RepoMapStoreOptions): Promise<RepoMapStore> {
  const { SymbolParser } = await import('./parser.ts');
  return new RepoMapStore(await SymbolParser.load(), options);
}
