import { onStopSignal } from '../stopSignal.js';
import { readdir, stat, writeFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { renderHtmlPage } from '../../harness/reporters/htmlPage.js';
import type { ScenarioTrace } from '../../harness/trace/traceEntry.js';
import { UsageError, type Command } from '../command.js';
import { EXIT } from '../exitCodes.js';
import { optString, parseOptions, portOption } from '../parseOptions.js';
import { readTraceFile } from '../traceFiles.js';

/** FILE arguments: trace files, or folders whose *.trace.json are taken in name order. */
async function traceFiles(args: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const a of args) {
    const st = await stat(a).catch(() => null);
    if (st?.isDirectory()) {
      const names = (await readdir(a)).filter((n) => n.endsWith('.trace.json')).sort();
      if (names.length === 0) throw new UsageError(`${a}: no .trace.json files in this folder`);
      out.push(...names.map((n) => path.join(a, n)));
    } else out.push(a);
  }
  return out;
}

/** x.trace.json -> x.trace.html; a folder -> folder/traces.html. */
function defaultOut(first: string, fromFolder: boolean): string {
  if (fromFolder) return path.join(path.dirname(first), 'traces.html');
  return first.replace(/\.json$/i, '') + '.html';
}

export const showTraceCommand: Command = {
  name: 'show-trace',
  summary: 'Open traces written by run --trace in a self-contained viewer page (served on loopback)',
  usage: `Usage: sipass-testbench show-trace FILE... [--out PAGE] [--port 0] [--no-serve]

Opens scenario traces written by \`run --trace\` (FILE: a .trace.json, or a
folder of them). Writes one self-contained viewer page (no network needed;
default: next to the first FILE, x.trace.json -> x.trace.html, a folder ->
FOLDER/traces.html), prints its path, then serves it on 127.0.0.1 and
prints the address to open in a browser. Ctrl-C stops.

The viewer steps through a scenario on a timeline: the role's state lane,
wire messages both ways with their fields, Security Center changes, faults
applied, each expectation checked (next/previous, "next failure", arrow keys).

Options:
  --out PAGE    where the viewer page is written
  --port N      loopback port to serve it on (default 0: any free port)
  --no-serve    write the page, print its path and exit (CI, or to open the file directly)

The viewer is served on 127.0.0.1 only, never beyond loopback.

Exit codes: 0 written (and, when serving, stopped by Ctrl-C), 2 bad arguments
or a FILE that is not a trace (one line naming it and why).`,
  async run(argv) {
    const { values, positionals } = parseOptions(argv, { out: { type: 'string' }, port: { type: 'string' }, 'no-serve': { type: 'boolean' } }, true);
    if (positionals.length === 0) throw new UsageError('name a trace file (.trace.json) or a folder of them');
    const port = portOption(optString(values.port), 0, true);
    const files = await traceFiles(positionals);
    const traces: ScenarioTrace[] = [];
    for (const f of files) traces.push(await readTraceFile(f));
    const firstArg = positionals[0] ?? '';
    const fromFolder = files[0] !== firstArg;
    const out = optString(values.out) ?? defaultOut(fromFolder ? path.join(firstArg, 'x') : firstArg, fromFolder);
    const title = traces.length === 1 ? `trace: ${traces[0]?.scenario.name ?? ''}` : `${traces.length} traces`;
    const html = renderHtmlPage({ kind: 'trace', title, traces });
    try {
      await writeFile(out, html);
    } catch (e) {
      throw new UsageError(`--out ${out}: cannot write it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    console.log(`trace viewer page: ${out}`);
    if (values['no-serve'] === true) return EXIT.OK;

    const server = http.createServer((req, res) => {
      if (req.method === 'GET' && (req.url === '/' || req.url === '/index.html')) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        res.end(html);
      } else {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('not found\n');
      }
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) =>
        reject(e.code === 'EADDRINUSE' ? new UsageError(`--port ${port}: already in use on 127.0.0.1 (choose another, or 0)`) : e),
      );
      server.listen({ port, host: '127.0.0.1' }, () => resolve());
    });
    const bound = (server.address() as { port: number }).port;
    // Handlers before the line a script waits for, so a Ctrl-C right after it stops cleanly.
    const stopped = onStopSignal();
    console.log(`trace viewer on http://127.0.0.1:${bound}/ (loopback only; Ctrl-C stops)`);
    await stopped.promise;
    stopped.dispose();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return EXIT.OK;
  },
};
