// /admin/projects and their keys. With ENABLE_MULTI_PROJECT off only the default project exists: its policy can
// still be read and edited (it applies to the gateway key), but no project or key can be created.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { GatewayConfig } from '../../config/config.ts';
import { GatewayError, invalidRequest } from '../../errors.ts';
import { DEFAULT_PROJECT_ID, openPolicy } from '../../projects/identity.ts';
import { parseProjectBody } from '../../projects/project-input.ts';
import { tryResolveModel } from '../../routing/resolve-model.ts';
import type { GatewayStore } from '../../store/gateway-store.ts';
import type { StoredProject } from '../../store/project-store.ts';
import { ADMIN_ROUTE, adminCall } from './admin-route.ts';

type IdParams = { Params: { id: string } };
type KeyParams = { Params: { id: string; keyId: string } };

function notFound(id: string): GatewayError {
  return new GatewayError({ status: 404, type: 'not_found_error', code: 'project_not_found', message: `No project with id "${id}".` });
}

export function registerAdminProjects(app: FastifyInstance, config: GatewayConfig, store: GatewayStore): void {
  const { projects, keys } = store;
  const isModel = (name: string) => tryResolveModel(name, config) !== undefined;
  const view = (p: StoredProject) => ({ ...p, keys: keys.list(p.id) });
  const live = (id: string) => {
    const found = projects.get(id);
    if (!found) throw notFound(id);
    return found;
  };
  const requireMultiProject = () => {
    if (!config.enableMultiProject) {
      throw new GatewayError({
        status: 409,
        type: 'invalid_request_error',
        code: 'multi_project_disabled',
        message: 'Projects are turned off: start the gateway with ENABLE_MULTI_PROJECT=1 to create projects and project keys.',
      });
    }
  };

  app.get('/admin/projects', ADMIN_ROUTE, async (request) => {
    adminCall(request);
    return { data: projects.list().map(view) };
  });

  app.post('/admin/projects', ADMIN_ROUTE, async (request, reply: FastifyReply) => {
    adminCall(request);
    requireMultiProject();
    const input = parseProjectBody(request.body, 'create', isModel);
    const id = input.id ?? `proj_${randomBytes(5).toString('hex')}`;
    if (projects.exists(id, true)) throw invalidRequest(`A project with id "${id}" exists or existed; choose another id.`, 'id', 'project_exists');
    const created = projects.create(id, { ...openPolicy(id, input.fields.name ?? id), ...input.fields });
    return reply.code(201).send(view(created));
  });

  app.get<IdParams>('/admin/projects/:id', ADMIN_ROUTE, async (request) => {
    adminCall(request);
    return view(live(request.params.id));
  });

  app.put<IdParams>('/admin/projects/:id', ADMIN_ROUTE, async (request) => {
    adminCall(request);
    live(request.params.id);
    const input = parseProjectBody(request.body, 'update', isModel);
    return view(projects.update(request.params.id, input.fields)!);
  });

  app.delete<IdParams>('/admin/projects/:id', ADMIN_ROUTE, async (request, reply: FastifyReply) => {
    adminCall(request);
    if (request.params.id === DEFAULT_PROJECT_ID) throw invalidRequest('The default project cannot be deleted.', 'id', 'default_project');
    if (!projects.remove(request.params.id)) throw notFound(request.params.id);
    return reply.code(204).send();
  });

  app.get<IdParams>('/admin/projects/:id/keys', ADMIN_ROUTE, async (request) => {
    adminCall(request);
    live(request.params.id);
    return { data: keys.list(request.params.id) };
  });

  app.post<IdParams>('/admin/projects/:id/keys', ADMIN_ROUTE, async (request, reply: FastifyReply) => {
    adminCall(request);
    requireMultiProject();
    live(request.params.id);
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (typeof body !== 'object' || Array.isArray(body)) throw invalidRequest('The request body must be a JSON object.');
    for (const field of Object.keys(body)) if (field !== 'name') throw invalidRequest(`Unknown field "${field}". Key fields: name.`, field);
    if (body.name !== undefined && body.name !== null && (typeof body.name !== 'string' || body.name.length > 100)) {
      throw invalidRequest('name must be a string of at most 100 characters', 'name');
    }
    const name = typeof body.name === 'string' && body.name.trim() !== '' ? body.name.trim() : null;
    const created = keys.create(request.params.id, name);
    // The only time the key itself is shown: only its hash is kept.
    return reply.code(201).send({ key: created.key, ...created.info });
  });

  app.delete<KeyParams>('/admin/projects/:id/keys/:keyId', ADMIN_ROUTE, async (request, reply: FastifyReply) => {
    adminCall(request);
    live(request.params.id);
    if (!keys.revoke(request.params.id, request.params.keyId)) {
      throw new GatewayError({ status: 404, type: 'not_found_error', code: 'key_not_found', message: `No key "${request.params.keyId}" in project "${request.params.id}".` });
    }
    return reply.code(204).send();
  });
}
