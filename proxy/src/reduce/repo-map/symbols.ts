// Top-level symbols of a parsed file: classes, functions, types, with a short signature and, for classes
// and similar containers, the names of their members. Works on any tree-sitter grammar by node kind, so
// one walker serves every language in languages.ts.
import type { Node } from '@vscode/tree-sitter-wasm';

const DEFINITIONS = new Set([
  'function_definition',
  'function_declaration',
  'generator_function_declaration',
  'function_item',
  'method_definition',
  'method_declaration',
  'method',
  'singleton_method',
  'class_definition',
  'class_declaration',
  'abstract_class_declaration',
  'class_specifier',
  'struct_specifier',
  'class',
  'module',
  'struct_item',
  'enum_item',
  'enum_declaration',
  'enum_specifier',
  'interface_declaration',
  'trait_item',
  'trait_declaration',
  'type_alias_declaration',
  'type_item',
  'impl_item',
  'mod_item',
  'namespace_definition',
  'namespace_declaration',
  'record_declaration',
  'type_declaration',
  'constructor_declaration',
]);

/** Nodes that wrap a definition without being one. */
const WRAPPERS = new Set(['decorated_definition', 'export_statement', 'template_declaration', 'ambient_declaration']);
/** Nodes whose children are top-level too (a namespace, a C# file-scoped namespace body, a declaration list). */
const TRANSPARENT = new Set(['namespace_definition', 'namespace_declaration', 'file_scoped_namespace_declaration', 'declaration_list', 'program', 'source_file', 'module', 'translation_unit', 'compilation_unit']);

export interface FileSymbol {
  signature: string;
  members: string[];
}

const MAX_SIGNATURE = 100;

function squash(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_SIGNATURE ? `${flat.slice(0, MAX_SIGNATURE - 1)}…` : flat;
}

function nameOf(node: Node): string | undefined {
  const name = node.childForFieldName('name') ?? node.childForFieldName('type');
  if (name) return name.text;
  if (node.type === 'type_declaration') {
    const spec = node.namedChildren.find((c) => c?.type === 'type_spec' || c?.type === 'type_alias');
    return spec?.childForFieldName('name')?.text;
  }
  return undefined;
}

function keyword(node: Node): string {
  switch (node.type) {
    case 'function_definition':
      return node.text.startsWith('async ') ? 'async def' : node.text.startsWith('def') ? 'def' : 'function';
    case 'function_declaration':
    case 'generator_function_declaration':
      return 'function';
    case 'function_item':
      return 'fn';
    case 'class_definition':
    case 'class_declaration':
    case 'abstract_class_declaration':
    case 'class_specifier':
    case 'class':
      return 'class';
    case 'struct_item':
    case 'struct_specifier':
      return 'struct';
    case 'enum_item':
    case 'enum_declaration':
    case 'enum_specifier':
      return 'enum';
    case 'interface_declaration':
      return 'interface';
    case 'trait_item':
    case 'trait_declaration':
      return 'trait';
    case 'type_alias_declaration':
    case 'type_item':
    case 'type_declaration':
      return 'type';
    case 'impl_item':
      return 'impl';
    case 'module':
    case 'mod_item':
      return 'module';
    case 'method':
    case 'singleton_method':
      return 'def';
    default:
      return node.type.replace(/_(definition|declaration|item|specifier)$/, '');
  }
}

function signatureOf(node: Node, name: string): string {
  const params = node.childForFieldName('parameters');
  const superclass = node.childForFieldName('superclasses') ?? node.childForFieldName('superclass');
  const tail = params ? params.text : superclass ? superclass.text : '';
  return squash(`${keyword(node)} ${name}${tail}`);
}

function membersOf(node: Node): string[] {
  const body = node.childForFieldName('body');
  if (!body) return [];
  const names: string[] = [];
  for (const child of body.namedChildren) {
    const def = child && unwrap(child);
    if (!def || !DEFINITIONS.has(def.type)) continue;
    const name = nameOf(def);
    if (name) names.push(name);
  }
  return names;
}

function unwrap(node: Node): Node | undefined {
  let current: Node | null = node;
  while (current && WRAPPERS.has(current.type)) {
    current = current.childForFieldName('definition') ?? current.childForFieldName('declaration') ?? current.namedChildren.find((c) => c !== null && (DEFINITIONS.has(c.type) || WRAPPERS.has(c.type))) ?? null;
  }
  return current ?? undefined;
}

/** `const handler = () => …` and `const x = function …` at the top of a JS/TS file. */
function functionConstants(node: Node): string[] {
  if (node.type !== 'lexical_declaration' && node.type !== 'variable_declaration') return [];
  const out: string[] = [];
  for (const declarator of node.namedChildren) {
    if (declarator?.type !== 'variable_declarator') continue;
    const value = declarator.childForFieldName('value');
    if (!value || !/^(arrow_function|function|function_expression|class)$/.test(value.type)) continue;
    const name = declarator.childForFieldName('name')?.text;
    const params = value.childForFieldName('parameters') ?? value.childForFieldName('parameter');
    if (name) out.push(squash(`const ${name}${params ? (params.type === 'identifier' ? `(${params.text})` : params.text) : ''}`));
  }
  return out;
}

export function topLevelSymbols(root: Node, limit = 60): FileSymbol[] {
  const out: FileSymbol[] = [];
  const visit = (node: Node, depth: number) => {
    for (const child of node.namedChildren) {
      if (!child || out.length >= limit) return;
      const constants = functionConstants(child.type === 'export_statement' ? child.namedChildren.find((c) => c?.type === 'lexical_declaration') ?? child : child);
      for (const signature of constants) out.push({ signature, members: [] });
      const def = unwrap(child);
      if (!def) continue;
      if (DEFINITIONS.has(def.type)) {
        const name = nameOf(def);
        if (name) out.push({ signature: signatureOf(def, name), members: membersOf(def) });
        if (depth < 2 && TRANSPARENT.has(def.type)) {
          const body = def.childForFieldName('body');
          if (body) visit(body, depth + 1);
        }
      } else if (depth < 2 && TRANSPARENT.has(def.type)) {
        visit(def, depth + 1);
      }
    }
  };
  visit(root, 0);
  return out;
}

const MAX_MEMBERS = 12;

export function renderSymbols(symbols: readonly FileSymbol[]): string {
  return symbols
    .map((s) => {
      if (s.members.length === 0) return s.signature;
      const shown = s.members.slice(0, MAX_MEMBERS).join(', ');
      const more = s.members.length > MAX_MEMBERS ? `, +${s.members.length - MAX_MEMBERS} more` : '';
      return `${s.signature} { ${shown}${more} }`;
    })
    .join('; ');
}
