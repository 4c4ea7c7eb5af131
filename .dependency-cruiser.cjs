// Import rules the build enforces (npm run lint; the full npm test runs it too). See docs/request-path.md.
const PURE_LAYERS = '^proxy/src/(translate|reduce|usage)/';
const IO_MODULES = '^(node:)?(fs|fs/promises|net|http|https|http2|tls|dgram|child_process|worker_threads|cluster)$|^(undici|better-sqlite3|sqlite-vec|pg|ioredis|electron|electron-store|fastify)$';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycles make load order fragile and layers meaningless.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'pure-layers-no-io',
      severity: 'error',
      comment: 'translate/, reduce/ and usage/ are pure: no HTTP layer, no storage, no gateway context, no I/O.',
      from: { path: PURE_LAYERS },
      to: { path: '^proxy/src/(http|store|gateway)/' },
    },
    {
      name: 'pure-layers-no-io-modules',
      severity: 'error',
      comment: 'translate/, reduce/ and usage/ take data in and give data back; I/O belongs to their callers.',
      from: { path: PURE_LAYERS },
      to: { dependencyTypes: ['core', 'npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'], path: IO_MODULES },
    },
    {
      name: 'only-http-imports-http',
      severity: 'error',
      comment: 'http/ is the outermost shell of the gateway; nothing below it may reach up into it. Only the programs that start a gateway (the CLI, the library entry the desktop app imports from the bundle, benchmarks, tests) sit above it.',
      from: { path: '^proxy/', pathNot: '^proxy/(src/http/|src/(cli|index)[.]ts$|bench/|test/)' },
      to: { path: '^proxy/src/http/' },
    },
    {
      name: 'proxy-no-electron',
      severity: 'error',
      comment: 'The gateway runs headless; only electron/ knows about Electron.',
      from: { path: '^proxy/' },
      to: { path: '^(electron|electron-store)$|^electron/' },
    },
    {
      name: 'renderer-stays-in-renderer',
      severity: 'error',
      comment: 'The dashboard is browser code: its own modules, its npm packages and the IPC contract types only.',
      from: { path: '^renderer/' },
      // Type-only imports of the gateway's record shapes are erased at build time and ship no code.
      to: { path: '^(proxy|electron)/', pathNot: '^electron/ipc/contract[.]ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'renderer-no-node',
      severity: 'error',
      comment: 'The dashboard runs in a sandboxed browser window with no Node built-ins.',
      from: { path: '^renderer/src/' },
      to: { dependencyTypes: ['core'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
