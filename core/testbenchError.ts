/**
 * Every error the bench raises on purpose carries a stable `code` (checked by
 * code in tests, never by message) and the context a user needs to act on it.
 */
export class TestbenchError extends Error {
  readonly code: string;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: string, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'TestbenchError';
    this.code = code;
    this.details = details;
  }

  toJSON(): { code: string; message: string; details: Readonly<Record<string, unknown>> } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

export const isTestbenchError = (e: unknown): e is TestbenchError => e instanceof TestbenchError;

/** The error object a snapshot or report shows: plain data, safe to serialise. */
export interface ErrorInfo {
  code: string;
  message: string;
  at: number;
}

export function toErrorInfo(e: unknown, at: number): ErrorInfo {
  if (e instanceof TestbenchError) return { code: e.code, message: e.message, at };
  if (e instanceof Error) {
    const code = (e as NodeJS.ErrnoException).code;
    return { code: typeof code === 'string' ? code : 'INTERNAL', message: e.message, at };
  }
  return { code: 'INTERNAL', message: String(e), at };
}
