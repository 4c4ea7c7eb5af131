// One more upstream call inside a request (the next round of a plugin-tool loop, one live batch item): the same
// model, the same retries and circuit as the request's first call, streaming or not.
import type { Message, MessageCreateParams } from '@anthropic-ai/sdk/resources/messages';
import { callUpstream, type CallUpstreamDeps } from '../upstream/call.ts';
import type { OpenedStream } from '../upstream/open-stream.ts';

export interface RoundTarget {
  requestId: string;
  projectId: string;
  model: string;
  signal: AbortSignal;
}

async function round(deps: CallUpstreamDeps, params: MessageCreateParams, target: RoundTarget, stream: boolean) {
  const call = await callUpstream(deps, {
    requestId: target.requestId,
    projectId: target.projectId,
    models: [target.model],
    bodyFor: () => ({ ...params, stream }),
    stream,
    signal: target.signal,
  });
  return call.value;
}

export async function sendRound(deps: CallUpstreamDeps, params: MessageCreateParams, target: RoundTarget): Promise<Message> {
  const answer = await round(deps, params, target, false);
  if (answer.kind !== 'body') throw new Error('a round without streaming answered with a stream');
  return answer.json as Message;
}

export async function openRound(deps: CallUpstreamDeps, params: MessageCreateParams, target: RoundTarget): Promise<OpenedStream> {
  const answer = await round(deps, params, target, true);
  if (answer.kind !== 'stream') throw new Error('a streaming round answered without a stream');
  return answer.opened;
}
