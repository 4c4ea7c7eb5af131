// Which tree-sitter grammar reads which file, by extension. The grammars ship as WASM in
// @vscode/tree-sitter-wasm and load offline from node_modules.

export type GrammarName =
  | 'python'
  | 'javascript'
  | 'typescript'
  | 'tsx'
  | 'go'
  | 'rust'
  | 'java'
  | 'ruby'
  | 'cpp'
  | 'c-sharp'
  | 'php'
  | 'bash';

export const GRAMMARS: readonly GrammarName[] = ['python', 'javascript', 'typescript', 'tsx', 'go', 'rust', 'java', 'ruby', 'cpp', 'c-sharp', 'php', 'bash'];

const BY_EXTENSION: Record<string, GrammarName> = {
  py: 'python',
  pyi: 'python',
  js: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  jsx: 'javascript',
  ts: 'typescript',
  mts: 'typescript',
  cts: 'typescript',
  tsx: 'tsx',
  go: 'go',
  rs: 'rust',
  java: 'java',
  rb: 'ruby',
  c: 'cpp',
  h: 'cpp',
  cc: 'cpp',
  cpp: 'cpp',
  cxx: 'cpp',
  hpp: 'cpp',
  hh: 'cpp',
  cs: 'c-sharp',
  php: 'php',
  sh: 'bash',
  bash: 'bash',
};

export function grammarFor(path: string): GrammarName | undefined {
  const name = path.split(/[\\/]/).pop() ?? '';
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return undefined;
  return BY_EXTENSION[name.slice(dot + 1).toLowerCase()];
}
