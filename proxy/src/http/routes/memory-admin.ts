// /admin/memories: list, search, add, edit and delete what the memory layer keeps (admin key).
import type { FastifyInstance, FastifyReply } from 'fastify';
import { GatewayError, invalidRequest } from '../../errors.ts';
import type { MemoryService } from '../../memory/memory-service.ts';
import { MEMORY_KINDS, type MemoryKind } from '../../memory/memory-types.ts';
import type { StoredMemory } from '../../memory/memory-store.ts';
import { MEMORIES_QUERY, type MemoriesQuery } from '../schemas/admin.ts';
import { ADMIN_QUERY_ROUTE, ADMIN_ROUTE, adminCall } from './admin-route.ts';

type IdParams = { Params: { id: string } };

const MAX_TEXT = 2000;

function notFound(id: string): GatewayError {
  return new GatewayError({ status: 404, type: 'not_found_error', code: 'memory_not_found', message: `No memory with id "${id}".` });
}

function view(memory: StoredMemory) {
  const { seq: _seq, ...rest } = memory;
  return rest;
}

function kindOf(value: unknown, name: string): MemoryKind | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !(MEMORY_KINDS as readonly string[]).includes(value)) {
    throw invalidRequest(`${name} must be one of ${MEMORY_KINDS.join(', ')}`, name);
  }
  return value as MemoryKind;
}

function memoryText(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') throw invalidRequest('text must be a non-empty string', 'text');
  if (value.length > MAX_TEXT) throw invalidRequest(`text holds at most ${MAX_TEXT} characters`, 'text');
  return value.trim();
}

function body(request: { body: unknown }, allowed: readonly string[]): Record<string, unknown> {
  const b = request.body;
  if (!b || typeof b !== 'object' || Array.isArray(b)) throw invalidRequest('The request body must be a JSON object.');
  for (const key of Object.keys(b)) if (!allowed.includes(key)) throw invalidRequest(`Unknown field "${key}". Fields: ${allowed.join(', ')}.`, key);
  return b as Record<string, unknown>;
}

export function registerMemoryAdmin(app: FastifyInstance, memory: MemoryService): void {
  const live = (id: string) => {
    const found = memory.store.get(id);
    if (!found) throw notFound(id);
    return found;
  };

  // Newest first; with `q`, ranked by relevance the way recall ranks them (embeddings, else full-text).
  app.get<{ Querystring: MemoriesQuery }>('/admin/memories', { ...ADMIN_QUERY_ROUTE, schema: { querystring: MEMORIES_QUERY } }, async (request) => {
    const { project, kind, limit, q, before } = request.query;
    if (q !== undefined) {
      const hits = project ? await memory.search(project, q, limit) : memory.store.searchText(undefined, q, limit).map((hit) => ({ ...hit, via: 'text' as const }));
      const data = hits.filter((hit) => !kind || hit.memory.kind === kind).map((hit) => ({ ...view(hit.memory as StoredMemory), score: hit.score, via: hit.via }));
      return { data, nextBefore: null };
    }
    const rows = memory.store.list({ limit: limit + 1, ...(project && { projectId: project }), ...(kind && { kind }), ...(before && { before }) });
    const page = rows.slice(0, limit);
    return { data: page.map(view), nextBefore: rows.length > limit ? page[page.length - 1]!.id : null };
  });

  app.post('/admin/memories', ADMIN_ROUTE, async (request, reply: FastifyReply) => {
    adminCall(request);
    const b = body(request, ['project', 'text', 'kind']);
    const project = typeof b.project === 'string' && b.project.trim() !== '' ? b.project.trim() : 'default';
    const added = await memory.add(project, { kind: kindOf(b.kind, 'kind') ?? 'note', source: 'admin', text: memoryText(b.text) });
    return reply.code(added.created ? 201 : 200).send(view(added.memory));
  });

  app.get<IdParams>('/admin/memories/:id', ADMIN_ROUTE, async (request) => {
    adminCall(request);
    return view(live(request.params.id));
  });

  const edit = async (request: { params: { id: string }; body: unknown }) => {
    live(request.params.id);
    const b = body(request, ['text', 'kind']);
    const change = {
      ...(b.text !== undefined && { text: memoryText(b.text) }),
      ...(b.kind !== undefined && { kind: kindOf(b.kind, 'kind')! }),
    };
    const updated = memory.edit(request.params.id, change);
    if (updated === 'duplicate') throw invalidRequest('Another memory of this project already says the same.', 'text', 'memory_exists');
    if (!updated) throw notFound(request.params.id);
    return view(updated);
  };
  app.put<IdParams>('/admin/memories/:id', ADMIN_ROUTE, async (request) => {
    adminCall(request);
    return edit(request);
  });
  app.patch<IdParams>('/admin/memories/:id', ADMIN_ROUTE, async (request) => {
    adminCall(request);
    return edit(request);
  });

  app.delete<IdParams>('/admin/memories/:id', ADMIN_ROUTE, async (request, reply: FastifyReply) => {
    adminCall(request);
    if (!memory.forget(request.params.id)) throw notFound(request.params.id);
    return reply.code(204).send();
  });
}
