import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from './package-root.ts';

// Read once at start: the package version names the build in /health, X-Gateway and system_fingerprint.
const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string };

export const GATEWAY_VERSION: string = pkg.version;
export const SYSTEM_FINGERPRINT = `fp_cg_${GATEWAY_VERSION.replace(/[^0-9a-z]/gi, '_')}`;
