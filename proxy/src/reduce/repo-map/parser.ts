// Loads tree-sitter and its grammars (WASM, from node_modules, no network) once, then parses files
// synchronously. Every grammar is loaded up front, so what the repo map says about a file never depends on
// which grammars happened to be loaded when a request arrived.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Language, Parser } from '@vscode/tree-sitter-wasm';
import { GRAMMARS, grammarFor, type GrammarName } from './languages.ts';
import { topLevelSymbols, type FileSymbol } from './symbols.ts';

type TreeSitterModule = typeof import('@vscode/tree-sitter-wasm');

const require = createRequire(import.meta.url);

/** Larger files are parsed only up to here: the top of a file carries most of its declarations. */
const MAX_PARSE_CHARS = 400_000;

export class SymbolParser {
  private constructor(
    private readonly parser: Parser,
    private readonly languages: ReadonlyMap<GrammarName, Language>,
  ) {}

  static async load(grammars: readonly GrammarName[] = GRAMMARS): Promise<SymbolParser> {
    const ts = require('@vscode/tree-sitter-wasm') as TreeSitterModule;
    const dir = join(dirname(require.resolve('@vscode/tree-sitter-wasm/package.json')), 'wasm');
    await ts.Parser.init({ locateFile: (file: string) => join(dir, file) });
    const languages = new Map<GrammarName, Language>();
    for (const name of grammars) languages.set(name, await ts.Language.load(join(dir, `tree-sitter-${name}.wasm`)));
    return new SymbolParser(new ts.Parser(), languages);
  }

  supports(path: string): boolean {
    const grammar = grammarFor(path);
    return grammar !== undefined && this.languages.has(grammar);
  }

  /** Top-level symbols, or undefined when no loaded grammar reads this file. */
  symbols(path: string, content: string): FileSymbol[] | undefined {
    const grammar = grammarFor(path);
    const language = grammar && this.languages.get(grammar);
    if (!language) return undefined;
    this.parser.setLanguage(language);
    const tree = this.parser.parse(content.length > MAX_PARSE_CHARS ? content.slice(0, MAX_PARSE_CHARS) : content);
    if (!tree) return undefined;
    try {
      return topLevelSymbols(tree.rootNode);
    } finally {
      tree.delete();
    }
  }
}
