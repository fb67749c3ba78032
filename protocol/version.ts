/** Version of the wire protocol; hello/welcome must agree on it exactly. */
export const PROTOCOL_VERSION = 1;

/** Every frame starts with these two bytes ("SP"), so another protocol is spotted at byte 0. */
export const MAGIC_0 = 0x53;
export const MAGIC_1 = 0x50;

/** magic (2) + payload length (uint32 big-endian). */
export const HEADER_SIZE = 6;

/** Largest payload accepted unless told otherwise: checked before allocating. */
export const DEFAULT_MAX_FRAME = 4 * 1024 * 1024;

/** The SiPass proxy service's port (R3, R12). */
export const DEFAULT_PORT = 5645;

/**
 * R15: the Security Center SDK version the fake proxy's SDK is built against, and that the bench's
 * Security Center reports, unless a scenario says otherwise. They must match (major.minor).
 */
export const DEFAULT_SDK_VERSION = '5.12';

/** R15: the proxy's diagnostic server port (allowed 4502-4534) and its web interface port. */
export const DEFAULT_DIAGNOSTIC_PORT = 4523;
export const DIAGNOSTIC_PORT_RANGE = [4502, 4534] as const;
export const DEFAULT_DIAGNOSTIC_WEB_PORT = 6024;
