import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { grammarFor } from '../../src/reduce/repo-map/languages.ts';
import { filesIn, stripLineNumbers } from '../../src/reduce/repo-map/files.ts';
import { SymbolParser } from '../../src/reduce/repo-map/parser.ts';
import { RepoMapStore } from '../../src/reduce/repo-map/store.ts';
import { renderSymbols } from '../../src/reduce/repo-map/symbols.ts';
import { APP_PY, clineSession, toolSession } from './conversations.ts';

const TS_SOURCE = `import { x } from './x';
export interface Options { verbose: boolean }
export type Mode = 'a' | 'b';
export class Runner extends Base {
  constructor(private readonly options: Options) { super(); }
  run(input: string): number { return 1; }
  stop() {}
}
export function start(options: Options, mode: Mode): Runner { return new Runner(options); }
export const handler = async (event: Event) => { return event; };
const helper = function (a) { return a; };
enum Color { Red, Green }
`;

const GO_SOURCE = `package main

type Server struct { addr string }

func (s *Server) Start(port int) error { return nil }

func main() {}
`;

describe('repo map: files and their top-level symbols, parsed with tree-sitter', () => {
  let parser: SymbolParser;
  before(async () => {
    parser = await SymbolParser.load(['python', 'typescript', 'go']);
  });

  test('maps extensions to grammars', () => {
    assert.equal(grammarFor('src/app.py'), 'python');
    assert.equal(grammarFor('C:\\proj\\main.TSX'), 'tsx');
    assert.equal(grammarFor('Makefile'), undefined);
    assert.equal(grammarFor('notes.md'), undefined);
  });

  test('python: classes with their methods, functions with their parameters', () => {
    const rendered = renderSymbols(parser.symbols('app.py', APP_PY)!);
    assert.ok(rendered.startsWith('class Config { __init__, describe }; def step_0(config, value); def step_1(config, value);'), rendered);
    assert.ok(rendered.endsWith('def parse_args(argv); def main(argv=None)'), rendered);
  });

  test('typescript: interfaces, types, classes, functions and function constants', () => {
    const rendered = renderSymbols(parser.symbols('runner.ts', TS_SOURCE)!);
    assert.equal(
      rendered,
      "interface Options; type Mode; class Runner { constructor, run, stop }; function start(options: Options, mode: Mode); const handler(event: Event); const helper(a); enum Color",
    );
  });

  test('go: types, methods and functions', () => {
    assert.equal(renderSymbols(parser.symbols('main.go', GO_SOURCE)!), 'type Server; method Start(port int); function main()');
  });

  test('a file in a language without a loaded grammar has no symbols', () => {
    assert.equal(parser.symbols('lib.rs', 'fn main() {}'), undefined);
  });

  test('the store memoises parses and keeps a per-project map that expires', () => {
    let now = 0;
    const store = new RepoMapStore(parser, { ttlSeconds: 60, now: () => now });
    assert.equal(store.describe('src/app.py', APP_PY, 'p1'), store.describe('src/app.py', APP_PY, 'p1'));
    assert.deepEqual(store.projectMap('p1').map((f) => f.path), ['src/app.py']);
    assert.deepEqual(store.projectMap('p2'), []);
    now = 61_000;
    assert.deepEqual(store.projectMap('p1'), []);
  });
});

describe('repo map: finding file bodies in a conversation', () => {
  test('Cline reads, writes and final file contents', () => {
    const files = filesIn(clineSession(3));
    assert.deepEqual(files.map((f) => f.path), ['src/app.py', 'src/app.py', 'src/app.py', 'src/app.py']);
    assert.ok(files.every((f) => f.content.startsWith('"""A small command-line tool')));
    assert.ok(files.every((f) => !f.content.includes('environment_details')));
  });

  test('native tool calls with a path argument answered by a tool_result', () => {
    const files = filesIn(toolSession(2));
    assert.deepEqual(files.map((f) => f.path), ['src/app.py', 'src/app.py']);
  });

  test('mini-swe-agent cat output and SWE-agent views, without line numbers', () => {
    const files = filesIn([
      { role: 'user', content: 'task' },
      { role: 'assistant', content: 'THOUGHT: look\n\n```bash\ncat src/a.py\n```' },
      { role: 'user', content: '<returncode>0</returncode>\n<output>\ndef a():\n    return 1\n</output>' },
      { role: 'assistant', content: 'open src/b.py' },
      { role: 'user', content: '[File: /repo/src/b.py (2 lines total)]\n1:def b():\n2:    return 2' },
    ]);
    assert.deepEqual(files, [
      { path: 'src/a.py', content: 'def a():\n    return 1' },
      { path: '/repo/src/b.py', content: 'def b():\n    return 2' },
    ]);
  });

  test('line numbers are removed only when every line has one', () => {
    assert.equal(stripLineNumbers('  1 | a\n  2 | b'), 'a\nb');
    assert.equal(stripLineNumbers('1: a\nplain'), '1: a\nplain');
  });
});
