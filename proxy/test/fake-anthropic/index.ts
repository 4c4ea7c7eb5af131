// Entry point for tests, benchmarks and the demo mode.
export { startFakeAnthropic } from './server.ts';
export { defaultResponder, lastUserText } from './responder.ts';
export { MODELS, findModel } from './models.ts';
export { LOOKBACK_BLOCKS } from './prompt-cache.ts';
export { PING_INTERVAL_MS } from './stream-writer.ts';
export type * from './types.ts';
