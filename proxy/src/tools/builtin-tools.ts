// The built-in plugin tools: repo_map (the files the token-reduction layer has seen in this project, with
// their top-level symbols) and memory_search (the project's memories).
import type { MemoryService } from '../memory/memory-service.ts';
import type { RepoMapStore } from '../reduce/repo-map/store.ts';
import type { PluginTool } from './tool-types.ts';

const MAX_MAP_LINES = 400;

export function repoMapTool(repoMap: () => RepoMapStore | undefined): PluginTool {
  return {
    name: 'repo_map',
    description:
      "Lists the files of the user's repository seen so far in this project's conversations, one per line with " +
      'their top-level symbols (functions, classes, types). Use it to find where something is defined before ' +
      'asking to read files. `path_prefix` narrows the list to one folder.',
    inputSchema: {
      type: 'object',
      properties: { path_prefix: { type: 'string', description: 'Only files whose path starts with this, e.g. "src/http/".' } },
    },
    source: 'builtin',
    handler(input, ctx) {
      const store = repoMap();
      if (!store) return 'The repository map is not available on this gateway.';
      const prefix = typeof input.path_prefix === 'string' ? input.path_prefix : '';
      const files = store.projectMap(ctx.projectId).filter((file) => file.path.startsWith(prefix));
      if (files.length === 0) return prefix ? `No files under ${prefix} have been seen yet.` : 'No files have been seen yet in this project.';
      const lines = files.slice(0, MAX_MAP_LINES).map((file) => (file.symbols ? `${file.path}: ${file.symbols}` : file.path));
      if (files.length > MAX_MAP_LINES) lines.push(`… and ${files.length - MAX_MAP_LINES} more files (narrow with path_prefix).`);
      return lines.join('\n');
    },
  };
}

export function memorySearchTool(memory: () => MemoryService | undefined): PluginTool {
  return {
    name: 'memory_search',
    description:
      "Searches what the gateway remembers from this project's earlier conversations: requirements and " +
      'decisions the user stated, and conclusions reached. Use it when earlier context might matter.',
    inputSchema: {
      type: 'object',
      properties: {
        query: { type: 'string', description: 'What to look for, in a few words.' },
        limit: { type: 'integer', minimum: 1, maximum: 20, description: 'Most results (default 5).' },
      },
      required: ['query'],
    },
    source: 'builtin',
    async handler(input, ctx) {
      const service = memory();
      if (!service) return 'The memory layer is turned off on this gateway.';
      const query = typeof input.query === 'string' ? input.query : '';
      if (query.trim() === '') throw new Error('query must be a non-empty string');
      const limit = typeof input.limit === 'number' && input.limit >= 1 ? Math.min(20, Math.floor(input.limit)) : 5;
      const hits = await service.search(ctx.projectId, query, limit);
      if (hits.length === 0) return 'No memories match.';
      return hits.map((hit) => `- (${hit.memory.kind}) ${hit.memory.text}`).join('\n');
    },
  };
}
