import { makeFault, type OutItem } from './fault.js';
import type { FaultDefinition } from './options.js';

const BODY = 'This port serves HTTP, not the SiPass proxy protocol.\n';

/** What a peer speaking something else answers to the role's hello. */
export const FOREIGN_ANSWERS = {
  http: `HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(BODY)}\r\nConnection: close\r\n\r\n${BODY}`,
  ssh: 'SSH-2.0-OpenSSH_9.6\r\n',
  smtp: '220 mail.example.test ESMTP ready\r\n',
  redis: '-ERR unknown command\r\n',
} as const;
export type ForeignName = keyof typeof FOREIGN_ANSWERS;

/**
 * The server answers as another protocol would (an HTTP 400 by default)
 * instead of the welcome, then closes: the role reports
 * PROTO_FOREIGN_PROTOCOL (or PROTO_BAD_MAGIC for a protocol it cannot name).
 */
export const foreignProtocol: FaultDefinition = {
  name: 'foreignProtocol',
  usage: 'speaks=http|ssh|smtp|redis',
  summary: 'answer as another protocol (an HTTP response by default) and close',
  define(spec, o) {
    const speaks = o.oneOf('speaks', Object.keys(FOREIGN_ANSWERS) as ForeignName[], 'http');
    return makeFault(spec, `peer speaks ${speaks}`, (conn) => {
      let answer: OutItem | undefined;
      return {
        message(item) {
          if (answer) return [];
          if (!item.msg) return [item];
          answer = { bytes: Buffer.from(FOREIGN_ANSWERS[speaks], 'latin1') };
          return [answer];
        },
        written(_chunk, item, last) {
          if (item === answer && last) conn.end(`answered as ${speaks}`);
        },
      };
    });
  },
};
