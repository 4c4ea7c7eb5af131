// /admin/budgets: spend budgets per project and per key, with what each has spent in its current period.
//   GET    /admin/budgets                      every budget and its state (ok, soft, exceeded)
//   GET    /admin/budgets/:scope/:subject      one budget
//   PUT    /admin/budgets/:scope/:subject      create or replace: {period, limitUsd, softPercent?, totalUsd?}
//   DELETE /admin/budgets/:scope/:subject      remove
import type { FastifyInstance } from 'fastify';
import { GatewayError } from '../../errors.ts';
import { BUDGET_BODY_SCHEMA, parseBudgetBody, parseScope } from '../../budgets/budget-input.ts';
import type { BudgetService } from '../../budgets/budget-service.ts';
import { ADMIN_ROUTE, adminCall } from './admin-route.ts';

type Params = { Params: { scope: string; subject: string } };

const PARAMS_SCHEMA = {
  type: 'object',
  required: ['scope', 'subject'],
  properties: { scope: { type: 'string', enum: ['project', 'key'] }, subject: { type: 'string', minLength: 1, maxLength: 80 } },
} as const;

function notFound(scope: string, subject: string): GatewayError {
  return new GatewayError({ status: 404, type: 'not_found_error', code: 'budget_not_found', message: `No budget for ${scope} "${subject}".` });
}

export function registerAdminBudgets(app: FastifyInstance, budgets: BudgetService): void {
  app.get('/admin/budgets', ADMIN_ROUTE, async (request) => {
    adminCall(request);
    return { budgets: await budgets.list() };
  });
  app.get<Params>('/admin/budgets/:scope/:subject', { ...ADMIN_ROUTE, schema: { params: PARAMS_SCHEMA } }, async (request) => {
    adminCall(request);
    const { scope, subject } = parseScope(request.params.scope, request.params.subject);
    const found = await budgets.get(scope, subject);
    if (!found) throw notFound(scope, subject);
    return found;
  });
  app.put<Params>('/admin/budgets/:scope/:subject', { ...ADMIN_ROUTE, schema: { params: PARAMS_SCHEMA, body: BUDGET_BODY_SCHEMA } }, async (request) => {
    adminCall(request);
    const { scope, subject } = parseScope(request.params.scope, request.params.subject);
    return budgets.put(parseBudgetBody(request.body, scope, subject));
  });
  app.delete<Params>('/admin/budgets/:scope/:subject', { ...ADMIN_ROUTE, schema: { params: PARAMS_SCHEMA } }, async (request, reply) => {
    adminCall(request);
    const { scope, subject } = parseScope(request.params.scope, request.params.subject);
    if (!(await budgets.remove(scope, subject))) throw notFound(scope, subject);
    return reply.code(204).send();
  });
}
