// SigV4 for Bedrock with the AWS pieces the Bedrock SDK itself uses, loaded on first use so a gateway without
// Bedrock never pays for them: explicit keys when configured, else the AWS default credential chain
// (environment, shared files, SSO, container and instance roles).
import type { BedrockCredentials } from '../../config/upstreams.ts';

export interface SignInput {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: string;
}

export type RequestSigner = (input: SignInput) => Promise<Record<string, string>>;

interface AwsIdentity {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

type IdentityProvider = () => Promise<AwsIdentity>;

async function identityProvider(credentials: BedrockCredentials): Promise<IdentityProvider> {
  if (credentials.accessKeyId && credentials.secretAccessKey) {
    const identity: AwsIdentity = { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey };
    if (credentials.sessionToken) identity.sessionToken = credentials.sessionToken;
    return async () => identity;
  }
  const { fromNodeProviderChain } = await import('@aws-sdk/credential-providers');
  return fromNodeProviderChain() as IdentityProvider;
}

export function createAwsSigner(credentials: BedrockCredentials, service = 'bedrock'): RequestSigner {
  let ready: Promise<(input: SignInput) => Promise<Record<string, string>>> | undefined;
  const load = async () => {
    const [{ SignatureV4 }, { Sha256 }, provider] = await Promise.all([
      import('@smithy/signature-v4'),
      import('@aws-crypto/sha256-js'),
      identityProvider(credentials),
    ]);
    const signer = new SignatureV4({ service, region: credentials.region, credentials: provider, sha256: Sha256 });
    return async (input: SignInput) => {
      const query: Record<string, string> = {};
      for (const [key, value] of input.url.searchParams) query[key] = value;
      const signed = await signer.sign({
        method: input.method,
        protocol: input.url.protocol,
        hostname: input.url.hostname,
        port: input.url.port ? Number(input.url.port) : undefined,
        path: input.url.pathname,
        query,
        headers: { ...input.headers, host: input.url.host },
        body: input.body,
      });
      return signed.headers as Record<string, string>;
    };
  };
  return async (input) => {
    // A failed load (no credentials found) is tried again on the next request.
    ready ??= load().catch((error) => {
      ready = undefined;
      throw error;
    });
    return (await ready)(input);
  };
}
