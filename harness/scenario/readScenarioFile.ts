import { constants } from 'node:fs';
import { open, readlink, realpath } from 'node:fs/promises';
import { formatBytes } from './loadLimits.js';
import { insideRoot, type ScenarioRoot } from './scenarioRoot.js';

export type FileRead = { text: string } | { problem: string };

const errno = (e: unknown): string => (e as NodeJS.ErrnoException).code ?? (e as Error).message;

function kindOf(st: import('node:fs').Stats): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * A scenario file's text, read safely: only a regular file (no /dev/zero, no
 * FIFO or terminal to hang on: opened non-blocking, checked with fstat after
 * the open, not stat-then-open), at most `maxBytes` (checked on the size, and
 * again while reading, in case it grows). With `root`, the file's real path
 * must be inside it: checked before the open, opened without following a
 * last-moment link, and checked again on the open descriptor where the system
 * tells (/proc/self/fd). The problem never quotes the file.
 */
export async function readScenarioFile(file: string, maxBytes: number, root?: ScenarioRoot): Promise<FileRead> {
  let target = file;
  if (root) {
    try {
      target = await realpath(file);
    } catch (e) {
      return { problem: `cannot read the file: ${errno(e)}` };
    }
    if (!insideRoot(root, target)) return { problem: `leads outside the scenario root ${root.given} through a symbolic link` };
  }
  let fh: import('node:fs/promises').FileHandle;
  try {
    fh = await open(target, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (root ? (constants.O_NOFOLLOW ?? 0) : 0));
  } catch (e) {
    return { problem: `cannot read the file: ${errno(e)}` };
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) return { problem: `not a regular file (${kindOf(st)}): only regular files are read` };
    const tooBig = (n: number, more: boolean): FileRead => ({
      problem: `the file is ${formatBytes(n)}${more ? ' or more' : ''}, over the ${formatBytes(maxBytes)} limit for one scenario file (raise it with --max-file-size)`,
    });
    if (st.size > maxBytes) return tooBig(st.size, false);
    if (root) {
      const opened = await readlink(`/proc/self/fd/${fh.fd}`).catch(() => undefined);
      if (opened?.startsWith('/') && !insideRoot(root, opened)) return { problem: `leads outside the scenario root ${root.given} (it changed while being opened)` };
    }
    // Read to the end, but never more than maxBytes + 1 (the file may grow after the fstat).
    const chunks: Buffer[] = [];
    let got = 0;
    for (;;) {
      const chunk = Buffer.alloc(Math.min(64 * 1024, maxBytes + 1 - got));
      const { bytesRead } = await fh.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      got += bytesRead;
      if (got > maxBytes) return tooBig(got, true);
    }
    return { text: Buffer.concat(chunks, got).toString('utf8') };
  } catch (e) {
    return { problem: `cannot read the file: ${errno(e)}` };
  } finally {
    await fh.close().catch(() => undefined);
  }
}
