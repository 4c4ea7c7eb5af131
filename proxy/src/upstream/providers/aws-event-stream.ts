// AWS event-stream framing (application/vnd.amazon.eventstream), as Bedrock streams a response: bytes in,
// whole messages out. Each message is a 12-byte prelude (total length, headers length, CRC32 of the two),
// typed headers, a payload and a CRC32 of everything before it. Pure; a frame may arrive split anywhere.
import { crc32 } from 'node:zlib';

export type HeaderValue = string | number | boolean | bigint | Uint8Array | Date;

export interface EventStreamMessage {
  headers: Record<string, HeaderValue>;
  payload: Uint8Array;
}

const PRELUDE = 12;
const TRAILER = 4;
/** Bedrock's frames are small; a length beyond this is corruption, not a message. */
const MAX_MESSAGE = 24 * 1024 * 1024;

export class EventStreamError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EventStreamError';
  }
}

export class EventStreamDecoder {
  private buffer: Buffer = Buffer.alloc(0);

  push(chunk: Uint8Array): EventStreamMessage[] {
    this.buffer = this.buffer.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.buffer, chunk]);
    const out: EventStreamMessage[] = [];
    while (this.buffer.length >= PRELUDE) {
      const total = this.buffer.readUInt32BE(0);
      if (total < PRELUDE + TRAILER || total > MAX_MESSAGE) throw new EventStreamError(`event-stream message length ${total} is not valid`);
      if (this.buffer.length < total) break;
      out.push(decodeMessage(this.buffer.subarray(0, total)));
      this.buffer = this.buffer.subarray(total);
    }
    return out;
  }

  /** Throws when the stream ended inside a message. */
  end(): void {
    if (this.buffer.length > 0) throw new EventStreamError('the event stream ended inside a message');
  }
}

function decodeMessage(frame: Buffer): EventStreamMessage {
  const headersLength = frame.readUInt32BE(4);
  if (crc32(frame.subarray(0, 8)) !== frame.readUInt32BE(8)) throw new EventStreamError('event-stream prelude checksum mismatch');
  const end = frame.length - TRAILER;
  if (crc32(frame.subarray(0, end)) !== frame.readUInt32BE(end)) throw new EventStreamError('event-stream message checksum mismatch');
  if (PRELUDE + headersLength > end) throw new EventStreamError('event-stream headers overrun the message');
  return { headers: decodeHeaders(frame.subarray(PRELUDE, PRELUDE + headersLength)), payload: frame.subarray(PRELUDE + headersLength, end) };
}

function decodeHeaders(bytes: Buffer): Record<string, HeaderValue> {
  const headers: Record<string, HeaderValue> = {};
  let at = 0;
  while (at < bytes.length) {
    const nameLength = bytes.readUInt8(at);
    const name = bytes.toString('utf8', at + 1, at + 1 + nameLength);
    at += 1 + nameLength;
    const [value, next] = headerValue(bytes, bytes.readUInt8(at), at + 1);
    headers[name] = value;
    at = next;
  }
  return headers;
}

function headerValue(bytes: Buffer, type: number, at: number): [HeaderValue, number] {
  switch (type) {
    case 0: return [true, at];
    case 1: return [false, at];
    case 2: return [bytes.readInt8(at), at + 1];
    case 3: return [bytes.readInt16BE(at), at + 2];
    case 4: return [bytes.readInt32BE(at), at + 4];
    case 5: return [bytes.readBigInt64BE(at), at + 8];
    case 6: {
      const length = bytes.readUInt16BE(at);
      return [bytes.subarray(at + 2, at + 2 + length), at + 2 + length];
    }
    case 7: {
      const length = bytes.readUInt16BE(at);
      return [bytes.toString('utf8', at + 2, at + 2 + length), at + 2 + length];
    }
    case 8: return [new Date(Number(bytes.readBigInt64BE(at))), at + 8];
    case 9: return [bytes.subarray(at, at + 16), at + 16];
    default: throw new EventStreamError(`event-stream header type ${type} is not known`);
  }
}
