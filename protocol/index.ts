export * from './messages.js';
export * from './sipassTypes.js';
export * from './version.js';
export { encodeMessage, encodePacked } from './encodeMessage.js';
export { FrameDecoder } from './frameDecoder.js';
export { ProtocolError, type ProtocolErrorCode } from './protocolError.js';
export { messageProblem } from './validateMessage.js';
export { SiteDigest, canonicalRecord } from './siteDigest.js';
export { PACKED, packBatch, unpackBatch, type PackedBatch } from './packedBatch.js';
