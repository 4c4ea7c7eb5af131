// Spend budgets at the edge: an API request whose project or key budget is spent is refused before it runs
// (429 budget_exceeded, in the caller's API shape), and a request past a soft threshold says so in
// X-Budget-Warning. Only installed once a budget exists or may be made (always: budgets are edited live).
import type { FastifyInstance } from 'fastify';
import type { BudgetService } from '../budgets/budget-service.ts';
import { markReported } from '../reliability/resilient-call.ts';
import { headerText } from './route-notes.ts';

export function installBudgetChecks(app: FastifyInstance, budgets: BudgetService): void {
  app.addHook('preHandler', (request, reply, done) => {
    if (request.routeOptions.config?.access !== 'api' || request.method !== 'POST' || !request.identity) return done();
    // Most gateways have no budget: that answer is known without a promise.
    if (budgets.noneDefined()) return done();
    const { project, keyId } = request.identity;
    budgets.check(project.id, keyId).then((verdict) => {
      if (verdict.refusal) {
        request.record.projectId = project.id;
        markReported(verdict.refusal);
        return done(verdict.refusal);
      }
      if (verdict.warnings.length > 0) reply.header('x-budget-warning', headerText(verdict.warnings.join('; ')));
      done();
    }, done);
  });
}
