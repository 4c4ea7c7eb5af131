// Incremental Server-Sent Events decoder (WHATWG HTML "event stream interpretation").
// Network reads split the stream anywhere: mid-line, inside a multi-byte UTF-8 character, between \r and \n.
// The decoder keeps just enough state to produce the same events whatever the split.

export interface SseEvent {
  /** The `event:` field, or 'message' when the event named none. */
  event: string;
  /** All `data:` lines of the event, joined with '\n'. */
  data: string;
  /** The last event id seen on the stream, when one was sent. */
  id?: string;
}

const LF = 10;
const CR = 13;
const COLON = 58;
const SPACE = 32;
const BOM = 0xfeff;

export class SseDecoder {
  // ignoreBOM: the BOM is stripped below for byte and string input alike.
  private readonly utf8 = new TextDecoder('utf-8', { ignoreBOM: true });
  /** Text after the last line break seen; never contains CR or LF. */
  private partialLine = '';
  /** The previous piece ended with CR, so a LF starting the next piece belongs to the same line break. */
  private skipLeadingLf = false;
  private atStreamStart = true;

  private eventType = '';
  private data = '';
  private hasData = false;
  private lastEventId = '';

  push(chunk: Uint8Array | string): SseEvent[] {
    const text = typeof chunk === 'string' ? chunk : this.utf8.decode(chunk, { stream: true });
    const out: SseEvent[] = [];
    this.consume(text, out);
    return out;
  }

  /** The upstream closed: flush undecoded bytes and an event that lacked its closing blank line. */
  end(): SseEvent[] {
    const out: SseEvent[] = [];
    this.consume(this.utf8.decode(), out);
    if (this.partialLine.length > 0) {
      this.processLine(this.partialLine, out);
      this.partialLine = '';
    }
    this.dispatch(out);
    this.skipLeadingLf = false;
    return out;
  }

  private consume(text: string, out: SseEvent[]): void {
    if (text.length === 0) return;
    let start = 0;
    if (this.atStreamStart) {
      // Checked on the first non-empty text, so a BOM split across byte pieces is still recognised.
      this.atStreamStart = false;
      if (text.charCodeAt(0) === BOM) start = 1;
    }
    if (this.skipLeadingLf && start < text.length) {
      this.skipLeadingLf = false;
      if (text.charCodeAt(start) === LF) start++;
    }
    const length = text.length;
    let lineStart = start;
    for (let i = start; i < length; i++) {
      const c = text.charCodeAt(i);
      if (c !== LF && c !== CR) continue;
      let line = text.slice(lineStart, i);
      if (this.partialLine.length > 0) {
        line = this.partialLine + line;
        this.partialLine = '';
      }
      this.processLine(line, out);
      if (c === CR) {
        if (i + 1 < length) {
          if (text.charCodeAt(i + 1) === LF) i++;
        } else {
          this.skipLeadingLf = true;
        }
      }
      lineStart = i + 1;
    }
    if (lineStart < length) this.partialLine += text.slice(lineStart);
  }

  private processLine(line: string, out: SseEvent[]): void {
    if (line.length === 0) {
      this.dispatch(out);
      return;
    }
    if (line.charCodeAt(0) === COLON) return; // comment, e.g. a keep-alive
    const colon = line.indexOf(':');
    let field: string;
    let value: string;
    if (colon === -1) {
      field = line;
      value = '';
    } else {
      field = line.slice(0, colon);
      const valueStart = line.charCodeAt(colon + 1) === SPACE ? colon + 2 : colon + 1;
      value = line.slice(valueStart);
    }
    switch (field) {
      case 'data':
        this.data = this.hasData ? this.data + '\n' + value : value;
        this.hasData = true;
        break;
      case 'event':
        this.eventType = value;
        break;
      case 'id':
        if (!value.includes('\0')) this.lastEventId = value;
        break;
      default:
        break; // 'retry' and unknown fields are ignored
    }
  }

  private dispatch(out: SseEvent[]): void {
    if (this.hasData) {
      const event: SseEvent = { event: this.eventType || 'message', data: this.data };
      if (this.lastEventId) event.id = this.lastEventId;
      out.push(event);
    }
    this.eventType = '';
    this.data = '';
    this.hasData = false;
  }
}
