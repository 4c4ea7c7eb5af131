// Structured error telemetry: every failed upstream attempt and every error the gateway itself returns becomes
// one ErrorEvent, handed to an ErrorSink. The default sink is an in-memory ring of recent events; a host can
// pass its own (a database table behind /admin/errors) through GatewayDeps.errorSink.

export interface ErrorEvent {
  id: string;
  /** ISO time (UTC). */
  ts: string;
  requestId: string;
  projectId: string;
  model: string | null;
  /** Anthropic's error type (overloaded_error, rate_limit_error, api_error, …), connection_error, timeout_error,
   * or the gateway's own (rate_limited, circuit_open, internal_error, …). */
  type: string;
  /** The HTTP status: Anthropic's when it answered, else the one the gateway returned. */
  status: number;
  /** The upstream attempt it happened on (1-based); 0 when no upstream call was made. */
  attempt: number;
  message: string;
}

export interface ErrorSink {
  record(event: ErrorEvent): void;
}

export interface ErrorRing extends ErrorSink {
  /** Newest first; `before` is an event id to page from. */
  recent(limit?: number, before?: string): ErrorEvent[];
}

export function createErrorRing(capacity = 1000): ErrorRing {
  const events: ErrorEvent[] = [];
  return {
    record(event) {
      events.push(event);
      if (events.length > capacity) events.splice(0, events.length - capacity);
    },
    recent(limit = 50, before) {
      let end = events.length;
      if (before !== undefined) {
        const at = events.findIndex((e) => e.id === before);
        if (at !== -1) end = at;
      }
      return events.slice(Math.max(0, end - limit), end).reverse();
    },
  };
}

/** Error messages are kept short and single-line; they never carry request content. */
export function clipMessage(message: string): string {
  const line = message.replace(/\s+/g, ' ').trim();
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}
