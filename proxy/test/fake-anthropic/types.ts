// The public surface of the fake Anthropic server: what tests, benchmarks and the demo mode code against.

export interface FakeAnthropicOptions {
  /** When set, `x-api-key` (or `Authorization: Bearer`) must match, else 401 authentication_error. */
  apiKey?: string;
  /** Millisecond clock for prompt-cache lifetimes; tests pass a simulated one. */
  now?: () => number;
  /** Seeds the deterministic fragmentation of deltas and the generated ids. */
  seed?: number;
  /** Decides what each request gets back; the default responder is described in responder.ts. */
  respond?: Responder;
  port?: number;
  host?: string;
}

export type Responder = (req: RecordedRequest) => FakePlan | Promise<FakePlan>;

export interface RecordedRequest {
  method: string;
  path: string;
  /** Lower-case header names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** Parsed JSON body, or undefined when there was none or it was not JSON. */
  body: any;
  receivedAt: number;
  /** True when the client went away before the response ended. */
  aborted: boolean;
  /** Set when the fake refused the request (validation, auth, routing), with the error it answered. */
  rejected?: { status: number; message: string };
}

export type FakeContentPlan =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; name: string; input: unknown; id?: string }
  | { type: 'thinking'; thinking: string }
  | { type: 'redacted_thinking' };

export type FakeStopReason = 'end_turn' | 'max_tokens' | 'stop_sequence' | 'tool_use' | 'refusal' | 'pause_turn';

export interface FakePlan {
  /**
   * What the model "says". Tool ids are generated when absent; thinking blocks are signed by the fake, and
   * their text is shown only when the request's thinking display is "summarized" (newer models default
   * to "omitted", which returns the block with empty text, as the API does).
   */
  content?: FakeContentPlan[];
  stopReason?: FakeStopReason;
  /** Output tokens to report; estimated from the content when absent. */
  outputTokens?: number;
  /** Answer with an HTTP error in Anthropic's shape instead of a message. */
  error?: { status: number; type: string; message: string; headers?: Record<string, string> };
  /** Streaming: after a 200, send an `event: error` after this many content events. */
  errorEventAfter?: number;
  /** The error carried by that event; overloaded_error when absent. */
  errorEvent?: { type: string; message: string };
  /** Streaming: destroy the socket after this many events (pings not counted), without message_stop. */
  dropAfter?: number;
  /** Accept the request and never answer until the connection closes. */
  hang?: boolean;
  /** Extra response headers on a successful answer (rate-limit headers, say). */
  headers?: Record<string, string>;
  /** Wait this long before the first byte. */
  delayMs?: number;
  /** Streaming: wait this long between events; waits of a second or more are filled with pings. */
  eventDelayMs?: number;
  /** Streaming: hold the stream open before its message_delta until this settles (a test's "now finish"). */
  holdBeforeEnd?: Promise<unknown>;
}

export interface FakeAnthropic {
  /** Origin without /v1, e.g. http://127.0.0.1:4010 — what an SDK takes as baseURL. */
  url: string;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  setResponder(r: Responder | undefined): void;
  /** Clears the recorded requests, the prompt cache and the id/fragmentation sequence. */
  reset(): void;
  /** Closes the server, hanging connections included. */
  close(): Promise<void>;
}
