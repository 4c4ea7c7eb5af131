// Responses `namespace` tools group function and custom tools under one name (Codex's `multi_agent_v1`).
// Claude sees a flat list, so each member becomes `<namespace>__<name>`; a call to that name goes back to the
// client as `{namespace, name}`, and a call the client sends back with a namespace is flattened the same way.
import { invalidRequest } from '../../errors.ts';
import { isRecord } from '../json-values.ts';

export const NAMESPACE_SEPARATOR = '__';

export interface ClientToolName {
  name: string;
  namespace?: string;
}

/** Flat name → the namespace and name the client declared; only namespaced tools are listed. */
export type NamespacedNames = ReadonlyMap<string, ClientToolName>;

export function flatToolName(name: string, namespace?: string): string {
  return namespace ? `${namespace}${NAMESPACE_SEPARATOR}${name}` : name;
}

export function clientToolName(flat: string, namespaced: NamespacedNames): ClientToolName {
  return namespaced.get(flat) ?? { name: flat };
}

export interface FlattenedTools {
  tools: Record<string, unknown>[];
  namespaced: Map<string, ClientToolName>;
}

/** Replaces each namespace tool by its members, renamed, in place (tool order is part of the cached prefix). */
export function flattenNamespaces(tools: readonly Record<string, unknown>[]): FlattenedTools {
  const out: FlattenedTools = { tools: [], namespaced: new Map() };
  tools.forEach((tool, i) => {
    if (tool.type !== 'namespace') {
      out.tools.push(tool);
      return;
    }
    const path = `tools[${i}]`;
    const namespace = tool.name;
    if (typeof namespace !== 'string' || !/^[a-zA-Z0-9_-]+$/.test(namespace)) {
      throw invalidRequest(`${path}.name must be a namespace name of letters, digits, '_' or '-'`, `${path}.name`);
    }
    if (!Array.isArray(tool.tools)) throw invalidRequest(`${path}.tools must be an array`, `${path}.tools`);
    tool.tools.forEach((member, j) => {
      const memberPath = `${path}.tools[${j}]`;
      if (!isRecord(member) || typeof member.name !== 'string' || member.name === '') {
        throw invalidRequest(`${memberPath} must be a tool with a name`, memberPath);
      }
      if (member.type !== 'function' && member.type !== 'custom') {
        throw invalidRequest(`${memberPath}.type must be function or custom`, `${memberPath}.type`);
      }
      const flat = flatToolName(member.name, namespace);
      out.namespaced.set(flat, { name: member.name, namespace });
      out.tools.push({ ...member, name: flat, description: memberDescription(tool.description, member.description) });
    });
  });
  return out;
}

/** The namespace's description is context the model would otherwise lose. */
function memberDescription(namespaceDescription: unknown, description: unknown): string | undefined {
  const own = typeof description === 'string' ? description : '';
  if (typeof namespaceDescription !== 'string' || namespaceDescription.trim() === '') return own || undefined;
  return own ? `${own}\n\n(Part of: ${namespaceDescription.trim()})` : namespaceDescription;
}

/**
 * A tool_choice naming a namespaced tool names its flat form: `{type, name, namespace}` directly, and a bare
 * `name` that no top-level tool has but exactly one namespace member has (the choice is then unambiguous).
 * Other choices pass through unchanged.
 */
export function flattenToolChoice(choice: unknown, flat: FlattenedTools | undefined): unknown {
  if (!isRecord(choice) || !flat || flat.namespaced.size === 0) return choice;
  if (choice.type === 'allowed_tools' && Array.isArray(choice.tools)) {
    return { ...choice, tools: choice.tools.map((t) => flattenToolChoice(t, flat)) };
  }
  if (typeof choice.name !== 'string') return choice;
  const { namespace, ...rest } = choice;
  if (typeof namespace === 'string' && namespace !== '') return { ...rest, name: flatToolName(choice.name, namespace) };
  const name = choice.name;
  if (flat.tools.some((t) => t.name === name)) return choice;
  const members = [...flat.namespaced].filter(([, client]) => client.name === name);
  return members.length === 1 ? { ...rest, name: members[0]![0] } : choice;
}
