// GET /admin/export?format=csv|json&granularity=request|day&from&to&project&model: a usage report as a download.
// Large exports stream out page by page.
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { GatewayStore } from '../../store/gateway-store.ts';
import { layersIn, walkRecords } from '../../store/usage-queries.ts';
import { totalsByDay } from '../../store/usage-report.ts';
import { csvRow, UTF8_BOM } from '../../usage/csv.ts';
import { DAY_COLUMNS, dayCells, requestCells, requestHeader } from '../../usage/export-rows.ts';
import { usageFilter, type ParsedFilter } from '../admin-query.ts';
import { EXPORT_QUERY, type ExportFormat, type ExportGranularity, type ExportQuery } from '../schemas/admin.ts';
import { ADMIN_QUERY_ROUTE } from './admin-route.ts';

function fileName(filter: ParsedFilter, granularity: ExportGranularity, format: ExportFormat): string {
  const day = (iso: string | null) => (iso ? iso.slice(0, 10) : 'all');
  const project = filter.projectId ? `-${filter.projectId.replace(/[^A-Za-z0-9_-]/g, '_')}` : '';
  return `usage-${granularity}${project}-${day(filter.fromIso)}-to-${day(filter.toIso)}.${format}`;
}

function* csvChunks(store: GatewayStore, filter: ParsedFilter, granularity: ExportGranularity): Generator<string> {
  const names = store.projects.names();
  const name = (id: string) => names.get(id) ?? id;
  if (granularity === 'day') {
    let text = UTF8_BOM + csvRow(DAY_COLUMNS);
    for (const day of totalsByDay(store.db, filter)) text += csvRow(dayCells(day, name(day.projectId)));
    yield text;
    return;
  }
  const layers = layersIn(store.db, filter);
  yield UTF8_BOM + csvRow(requestHeader(layers));
  for (const page of walkRecords(store.db, filter)) {
    yield page.map((r) => csvRow(requestCells(r, name(r.projectId), layers))).join('');
  }
}

function* jsonChunks(store: GatewayStore, filter: ParsedFilter, granularity: ExportGranularity): Generator<string> {
  const names = store.projects.names();
  const name = (id: string) => names.get(id) ?? id;
  const head = JSON.stringify({ granularity, from: filter.fromIso, to: filter.toIso }).slice(0, -1);
  if (granularity === 'day') {
    const days = totalsByDay(store.db, filter).map(({ date, projectId, ...t }) => ({ date, projectId, projectName: name(projectId), ...t }));
    yield `${head},"data":${JSON.stringify(days)}}`;
    return;
  }
  yield `${head},"data":[`;
  let first = true;
  for (const page of walkRecords(store.db, filter)) {
    const rows = page.map((r) => JSON.stringify({ ...r, projectName: name(r.projectId) }));
    yield (first ? '' : ',') + rows.join(',');
    first = false;
  }
  yield ']}';
}

export function registerAdminExport(app: FastifyInstance, store: GatewayStore): void {
  app.get<{ Querystring: ExportQuery }>('/admin/export', { ...ADMIN_QUERY_ROUTE, schema: { querystring: EXPORT_QUERY } }, async (request, reply) => {
    const { format, granularity } = request.query;
    const filter = usageFilter(request.query);
    store.usage.flush();
    const chunks = format === 'csv' ? csvChunks(store, filter, granularity) : jsonChunks(store, filter, granularity);
    return reply
      .header('content-type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8')
      .header('content-disposition', `attachment; filename="${fileName(filter, granularity, format)}"`)
      .header('cache-control', 'no-store')
      .send(Readable.from(chunks, { objectMode: false }));
  });
}
