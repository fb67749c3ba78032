import type http from 'node:http';
import { TestbenchError } from '../../core/testbenchError.js';

/** The error codes one HTTP surface uses for a body it cannot take. */
export interface JsonBodyCodes {
  tooLarge: string;
  badRequest: string;
}

/**
 * Reads a request body that must be one JSON object (an empty body is `{}`), at most `maxBytes`.
 * Past the limit the rest is read and dropped rather than the socket destroyed, so the client still
 * gets its 413 answer instead of a reset. Shared by the control channel and the diagnostic page,
 * which differ only by their error codes.
 */
export function readJsonBody(req: http.IncomingMessage, maxBytes: number, codes: JsonBodyCodes): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= maxBytes) chunks.push(c);
    });
    req.on('error', reject);
    req.on('end', () => {
      if (size > maxBytes) {
        reject(new TestbenchError(codes.tooLarge, `request body over ${maxBytes} bytes`));
        return;
      }
      const text = Buffer.concat(chunks).toString('utf8').trim();
      try {
        const v: unknown = JSON.parse(text === '' ? '{}' : text);
        if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('the body must be a JSON object');
        resolve(v as Record<string, unknown>);
      } catch (e) {
        reject(new TestbenchError(codes.badRequest, `the request body must be a JSON object (${(e as Error).message})`));
      }
    });
  });
}
