// Recognising a conversation across requests, and noticing when a request is the previous one again (a client
// retry) or the person asking the same thing twice (the answer did not help). Hashes only: no text is kept.
import { hash as digestOf } from 'node:crypto';
import type { RoutingInput } from './routing-input.ts';

/** What the router remembers about a conversation between two of its requests. */
export interface ConversationState {
  /** The model the router chose for it. */
  model: string;
  score: number;
  /** The similarity bucket of the last request, so a later retry can be charged to it. */
  bucket: string;
  messageCount: number;
  lastMessageHash: string;
  /** The latest human message's normalised text hash. */
  lastHumanHash: string | null;
  /** The last answer was already counted as redone (an error, a retry), so it is not counted twice. */
  badReported: boolean;
  updatedAt: number;
}

export interface TurnSnapshot {
  messageCount: number;
  lastMessageHash: string;
  lastHumanHash: string | null;
  /** The request ends with a message a person typed. */
  endsWithHuman: boolean;
}

function hash(text: string): string {
  return digestOf('sha256', text, 'base64url').slice(0, 22);
}

function normalise(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}

export function turnSnapshot(input: RoutingInput): TurnSnapshot {
  const { messages } = input;
  const last = messages[messages.length - 1];
  let lastHuman: string | null = null;
  for (let i = messages.length - 1; i >= 0; i--) {
    if (messages[i]!.human) {
      lastHuman = hash(normalise(messages[i]!.text));
      break;
    }
  }
  return {
    messageCount: messages.length,
    lastMessageHash: last ? hash(`${last.role}\u0000${last.text}`) : '',
    lastHumanHash: lastHuman,
    endsWithHuman: last?.human === true,
  };
}

/**
 * 'retry': the same request again (same length, same last message). 'repeat': a new human message saying what
 * the previous one said. Either way the previous answer did not do the job.
 */
export function detectRedo(previous: ConversationState, current: TurnSnapshot): 'retry' | 'repeat' | null {
  if (current.messageCount === previous.messageCount && current.lastMessageHash === previous.lastMessageHash) return 'retry';
  if (
    current.endsWithHuman &&
    current.messageCount > previous.messageCount &&
    current.lastHumanHash !== null &&
    current.lastHumanHash === previous.lastHumanHash
  ) {
    return 'repeat';
  }
  return null;
}
