// The gateway as a library: what a host (the desktop app's main process) needs to configure, build and run it.
// The bundle builds this beside the CLI, so the desktop app and the headless gateway run the same code.
export { makeConfig, type GatewayConfig } from './config/config.ts';
export { defaultDataDir } from './config/data-dir.ts';
export { GatewayError } from './errors.ts';
export { buildGateway } from './http/app.ts';
export { describeUpstream, parseUpstreams, type UpstreamConfig } from './config/upstreams.ts';
