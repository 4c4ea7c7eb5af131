// Argument checks for every IPC channel. The renderer is treated as untrusted input: each call must carry
// exactly the arguments its method declares, of the declared shapes, or it is refused before any handler runs.
import { isValidPort, normalizePublicUrl } from '../settings/settings.ts';
import type { BridgeContract, BridgeMethod, SettingsPatch } from './contract.ts';

export class IpcArgumentError extends Error {
  constructor(method: string, problem: string) {
    super(`Invalid arguments for ${method}: ${problem}`);
    this.name = 'IpcArgumentError';
  }
}

type Validated<M extends BridgeMethod> = BridgeContract[M]['args'];

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

const FEATURE_NAME = /^[A-Za-z][A-Za-z0-9]{0,63}$/;
const MAX_KEY_LENGTH = 512;
/** A list of a few dozen upstreams fits easily; anything larger is not a settings edit. */
const MAX_UPSTREAMS_LENGTH = 64 * 1024;

function settingsPatch(method: string, value: unknown, knownFeatures: ReadonlySet<string>): SettingsPatch {
  if (!isPlainObject(value)) throw new IpcArgumentError(method, 'the patch must be an object');
  const patch: SettingsPatch = {};
  for (const key of Object.keys(value)) {
    if (key === 'port') {
      if (!isValidPort(value.port)) throw new IpcArgumentError(method, 'port must be an integer from 1024 to 65535');
      patch.port = value.port;
    } else if (key === 'features') {
      const features = value.features;
      if (!isPlainObject(features)) throw new IpcArgumentError(method, 'features must be an object');
      const out: Record<string, boolean> = {};
      for (const [name, flag] of Object.entries(features)) {
        if (!FEATURE_NAME.test(name) || !knownFeatures.has(name)) throw new IpcArgumentError(method, `unknown feature '${name.slice(0, 64)}'`);
        if (typeof flag !== 'boolean') throw new IpcArgumentError(method, `feature '${name}' must be true or false`);
        out[name] = flag;
      }
      patch.features = out;
    } else if (key === 'cursorPublicUrl') {
      if (value.cursorPublicUrl === null || value.cursorPublicUrl === '') {
        patch.cursorPublicUrl = null;
      } else {
        const url = normalizePublicUrl(value.cursorPublicUrl);
        if (!url) throw new IpcArgumentError(method, 'cursorPublicUrl must be an https origin such as https://gateway.example.com');
        patch.cursorPublicUrl = url;
      }
    } else if (key === 'writeCursorSettings') {
      if (typeof value.writeCursorSettings !== 'boolean') throw new IpcArgumentError(method, 'writeCursorSettings must be true or false');
      patch.writeCursorSettings = value.writeCursorSettings;
    } else {
      throw new IpcArgumentError(method, `unknown setting '${key.slice(0, 64)}'`);
    }
  }
  return patch;
}

export interface ValidationContext {
  knownFeatures: ReadonlySet<string>;
}

export function validateArgs<M extends BridgeMethod>(method: M, args: readonly unknown[], context: ValidationContext): Validated<M> {
  const expect = (count: number) => {
    if (args.length !== count) throw new IpcArgumentError(method, `expected ${count} argument(s), got ${args.length}`);
  };
  switch (method) {
    case 'getConnection':
    case 'getSettings':
    case 'printReportToPdf':
      expect(0);
      return [] as unknown as Validated<M>;
    case 'updateSettings':
      expect(1);
      return [settingsPatch(method, args[0], context.knownFeatures)] as Validated<M>;
    case 'setAnthropicKey': {
      expect(1);
      const key = args[0];
      if (typeof key !== 'string') throw new IpcArgumentError(method, 'the key must be a string');
      if (key.length > MAX_KEY_LENGTH) throw new IpcArgumentError(method, 'the key is too long');
      return [key] as Validated<M>;
    }
    case 'setUpstreams': {
      expect(1);
      const json = args[0];
      if (typeof json !== 'string') throw new IpcArgumentError(method, 'the upstream list must be JSON text');
      if (json.length > MAX_UPSTREAMS_LENGTH) throw new IpcArgumentError(method, 'the upstream list is too long');
      return [json] as Validated<M>;
    }
    case 'testStorage':
      expect(1);
      if (args[0] !== 'redis' && args[0] !== 'postgres') throw new IpcArgumentError(method, "target must be 'redis' or 'postgres'");
      return [args[0]] as Validated<M>;
    default:
      throw new IpcArgumentError(String(method), 'unknown method');
  }
}
