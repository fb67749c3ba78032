import type { HtmlReportData, HtmlTraceData } from './htmlReportData.js';
import { HTML_SCRIPT } from './htmlScript.js';
import { HTML_STYLES } from './htmlStyles.js';

/**
 * JSON made safe inside <script type="application/json">: `<` cannot close the element, and
 * `://` is written `:\/\/` (the same string to JSON.parse) so that no address in a scenario's
 * text reads as a link to an outside resource in the file.
 */
export function embedJson(data: unknown): string {
  return JSON.stringify(data)
    .replace(/</g, '\\u003c')
    .replace(/:\/\//g, ':\\/\\/')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

const escapeText = (s: string): string => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);

/**
 * One self-contained HTML document (inline CSS and script, no fonts, images or scripts from
 * anywhere): the run report, or show-trace's viewer. It opens from a CI artifact with no
 * network; every text from a scenario or the wire is set with textContent.
 */
export function renderHtmlPage(data: HtmlReportData | HtmlTraceData): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>${escapeText(data.title)}</title>
<style>${HTML_STYLES}</style>
</head>
<body>
<noscript>This report needs JavaScript to show its data (it is embedded below, as JSON).</noscript>
<div id="app"></div>
<script type="application/json" id="report-data">${embedJson(data)}</script>
<script>${HTML_SCRIPT}</script>
</body>
</html>
`;
}
