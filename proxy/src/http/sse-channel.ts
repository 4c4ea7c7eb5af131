// The client side of a stream: SSE frames into the reply, comment keep-alives while the upstream is silent,
// and a signal when the client goes away.
import { PassThrough } from 'node:stream';
import type { FastifyReply } from 'fastify';

export class SseChannel {
  readonly stream = new PassThrough();
  private lastWrite = 0;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly now: () => number, keepAliveMs: number) {
    this.lastWrite = now();
    this.timer = setInterval(() => {
      if (this.now() - this.lastWrite >= keepAliveMs) this.write(': keep-alive\n\n');
    }, Math.max(250, Math.floor(keepAliveMs / 2)));
    this.timer.unref();
  }

  /** Starts the HTTP response; everything after this is SSE. */
  open(reply: FastifyReply): void {
    reply
      .code(200)
      .header('content-type', 'text/event-stream; charset=utf-8')
      .header('cache-control', 'no-cache, no-transform')
      .header('x-accel-buffering', 'no')
      .send(this.stream);
  }

  data(json: string): void {
    this.write(`data: ${json}\n\n`);
  }

  /** A named event, as the Responses API streams them (`event: response.created`). */
  event(name: string, json: string): void {
    this.write(`event: ${name}\ndata: ${json}\n\n`);
  }

  private write(text: string): void {
    if (this.closed) return;
    this.lastWrite = this.now();
    this.stream.write(text);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    this.stream.end();
  }
}
