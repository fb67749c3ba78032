import { access, constants, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { TestbenchError } from '../core/testbenchError.js';
import { TRACE_FORMAT, TRACE_VERSION, type ScenarioTrace } from '../harness/trace/traceEntry.js';

/** A trace's file name: its scenario file without the extension, one word (`faults-connection-resets.trace.json`). */
export function traceFileName(scenarioFile: string): string {
  const rel = scenarioFile.replace(/\\/g, '/').replace(/^(\.\.?\/)+/, '').replace(/^scenarios\//, '').replace(/\.ya?ml$/i, '');
  return `${rel.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'scenario'}.trace.json`;
}

/** Creates the trace folder before anything runs, or fails then (exit 2), as report paths do. */
export async function prepareTraceDir(dir: string): Promise<void> {
  const st = await stat(dir).catch(() => null);
  if (st && !st.isDirectory()) throw new TestbenchError('REPORT_PATH_INVALID', `--trace-dir ${dir}: is a file; name a folder`, { file: dir });
  await mkdir(dir, { recursive: true }).catch((e: NodeJS.ErrnoException) => {
    throw new TestbenchError('REPORT_PATH_INVALID', `--trace-dir ${dir}: cannot create it (${e.code ?? e.message})`, { file: dir });
  });
  await access(dir, constants.W_OK).catch((e: NodeJS.ErrnoException) => {
    throw new TestbenchError('REPORT_PATH_INVALID', `--trace-dir ${dir}: cannot write in it (${e.code ?? e.message})`, { file: dir });
  });
}

/** Writes each trace to DIR (created if needed); returns the files written. */
export async function writeTraceFiles(dir: string, traces: readonly ScenarioTrace[]): Promise<string[]> {
  if (traces.length === 0) return [];
  await mkdir(dir, { recursive: true });
  const files: string[] = [];
  for (const t of traces) {
    const file = path.join(dir, traceFileName(t.scenario.file));
    await writeFile(file, `${JSON.stringify(t)}\n`);
    files.push(file);
  }
  return files;
}

/** Reads a trace file, refusing anything else with one line naming the file and why (TRACE_INVALID). */
export async function readTraceFile(file: string): Promise<ScenarioTrace> {
  const bad = (why: string): never => {
    throw new TestbenchError('TRACE_INVALID', `${file}: ${why}`, { file });
  };
  const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => bad(e.code === 'ENOENT' ? 'no such file' : e.code === 'EISDIR' ? 'is a folder; name a .trace.json file' : `cannot read it (${e.code ?? e.message})`));
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return bad(`not JSON (${(e as Error).message})`);
  }
  const t = data as Partial<ScenarioTrace> | null;
  if (t === null || typeof t !== 'object' || t.format !== TRACE_FORMAT) return bad(`not a sipass-testbench trace (written by run --trace)`);
  if (t.version !== TRACE_VERSION) return bad(`trace version ${String(t.version)}; this sipass-testbench reads version ${TRACE_VERSION}`);
  if (!Array.isArray(t.entries) || typeof t.scenario !== 'object' || t.scenario === null) return bad('a trace with no scenario or entries');
  return t as ScenarioTrace;
}
