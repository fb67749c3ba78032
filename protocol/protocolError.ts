import { TestbenchError } from '../core/testbenchError.js';

export type ProtocolErrorCode =
  | 'PROTO_BAD_MAGIC'
  | 'PROTO_FOREIGN_PROTOCOL'
  | 'PROTO_FRAME_TOO_LARGE'
  | 'PROTO_BAD_JSON'
  | 'PROTO_BAD_MESSAGE'
  | 'PROTO_VERSION_MISMATCH'
  | 'PROTO_UNEXPECTED'
  | 'PROTO_TRUNCATED';

/**
 * Anything malformed on the wire. `offset` is the byte offset in the
 * connection's stream where the bad frame starts, so a capture can be read
 * at the right place.
 */
export class ProtocolError extends TestbenchError {
  override readonly code: ProtocolErrorCode;
  readonly offset: number;

  constructor(code: ProtocolErrorCode, message: string, offset: number) {
    super(code, `${message} (at byte ${offset})`, { offset });
    this.name = 'ProtocolError';
    this.code = code;
    this.offset = offset;
  }
}
