// The inspection report: JSON for machines, and one self-contained HTML page for people: text only, every
// value from the bundle or the scenario escaped, no script, no external resource (a CSP says so too), and
// laid out to print.

import type { RequestResult, SimulationReport } from './run-scenario.js';

export const REPORT_JSON = 'report.json';
export const REPORT_HTML = 'report.html';

export function renderReportJson(report: SimulationReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text as HTML text or attribute value: the five markup characters escaped, control characters dropped. */
export function escapeHtml(text: string): string {
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '');
}

const e = (value: string | number | null | undefined): string => (value === null || value === undefined ? '–' : escapeHtml(String(value)));

const STYLE = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1b1f24; margin: 2rem auto; max-width: 70rem; padding: 0 1.5rem; }
h1 { font-size: 1.5rem; margin-bottom: .2rem; } h2 { font-size: 1.15rem; margin-top: 2rem; border-bottom: 1px solid #d0d7de; padding-bottom: .2rem; }
h3 { font-size: 1rem; margin: 1.5rem 0 .4rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; } th, td { text-align: left; vertical-align: top; padding: .3rem .5rem; border-bottom: 1px solid #e5e8eb; }
th { background: #f3f5f7; font-weight: 600; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
code, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 12px; overflow-wrap: anywhere; }
.pass { color: #116329; font-weight: 600; } .fail { color: #a40e26; font-weight: 600; }
.verdict { display: inline-block; padding: .25rem .7rem; border-radius: .3rem; border: 2px solid currentColor; font-size: 1.1rem; }
.meta { color: #57606a; } .request { break-inside: avoid; page-break-inside: avoid; }
@media print { body { margin: 0; max-width: none; font-size: 11px; } h2 { break-after: avoid; } a { color: inherit; text-decoration: none; } }
`;

export function renderReportHtml(report: SimulationReport): string {
  const s = report.summary;
  const verdict = report.verdict === 'pass' ? '<span class="verdict pass">PASS</span>' : '<span class="verdict fail">FAIL</span>';
  const rows = report.requests
    .map(
      (r) =>
        `<tr><td><a href="#req-${e(r.id)}">${e(r.id)}</a></td><td>${e(r.title)}</td><td>${e(r.kind)}</td><td class="num">${e(r.rowCount)}</td><td class="num">${r.exported === null ? '–' : `${e(r.exported)} / ${e(r.expected)}`}</td><td class="num">${e(r.seconds.toFixed(3))}</td><td class="${r.status}">${r.status === 'pass' ? 'pass' : 'FAIL'}</td></tr>`,
    )
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Inspection simulation: ${e(report.scenario.name)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>Inspection simulation: ${e(report.scenario.name)}</h1>
<p class="meta">${report.scenario.authority === null ? '' : `Requested by ${e(report.scenario.authority)}. `}Generated ${e(report.generatedAt)} by Assay ${e(report.verifier.version)}.</p>
${report.scenario.description === null ? '' : `<p>${e(report.scenario.description)}</p>`}
<p>${verdict} ${e(s.passed)} of ${e(s.requests)} requests met their targets; ${e(s.failed)} failed. Total time ${e(s.seconds.toFixed(3))} s.</p>
<table>
<tr><th>Bundle</th><td class="mono">${e(report.bundle.source)}</td></tr>
<tr><th>Bundle id</th><td class="mono">${e(report.bundle.id)}</td></tr>
<tr><th>Manifest sha256</th><td class="mono">${e(report.bundle.manifestSha256)}</td></tr>
<tr><th>Signatures</th><td>${report.verification.authenticated ? `manifest and log checkpoints verified with key <code>${e(report.verification.signerKey)}</code>` : 'not checked: no trust store and policy were given (chains verified against the manifest heads only)'}</td></tr>
<tr><th>Scenario</th><td><code>${e(report.scenario.apiVersion)}</code>, sha256 <span class="mono">${e(report.scenario.sha256)}</span></td></tr>
</table>
<h2>Requests</h2>
<table>
<tr><th>Id</th><th>Request</th><th>Kind</th><th>Rows</th><th>Entries exported / in chain</th><th>Seconds</th><th>Result</th></tr>
${rows}
</table>
${report.requests.map(requestSection).join('\n')}
</body>
</html>
`;
}

function requestSection(r: RequestResult): string {
  const params = Object.entries(r.parameters)
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `<tr><th>${e(k)}</th><td class="mono">${e(v)}</td></tr>`)
    .join('');
  const checks = r.checks.map((c) => `<tr><td>${e(c.name)}</td><td>${e(c.target)}</td><td>${e(c.actual)}</td><td class="${c.pass ? 'pass' : 'fail'}">${c.pass ? 'pass' : 'FAIL'}</td></tr>`).join('');
  const files = r.files.map((f) => `<tr><td class="mono">${e(f.path)}</td><td class="num">${e(f.size)}</td><td class="mono">${e(f.sha256)}</td></tr>`).join('');
  return `<section class="request" id="req-${e(r.id)}">
<h3>${e(r.id)}: ${e(r.title)} <span class="${r.status}">${r.status === 'pass' ? 'pass' : 'FAIL'}</span></h3>
${r.request === null ? '' : `<p><em>${e(r.request)}</em></p>`}
<table>
<tr><th>Kind</th><td>${e(r.kind)}</td></tr>${params}
${r.picked === null ? '' : `<tr><th>Traced</th><td>${e(r.picked)}</td></tr>`}
<tr><th>Segments read</th><td>${r.segmentsRead === null ? '–' : `${e(r.segmentsRead)} of ${e(r.segmentsTotal)}`}</td></tr>
${r.oldestEntry === null ? '' : `<tr><th>Oldest entry</th><td class="mono">${e(r.oldestEntry)}</td></tr>`}
<tr><th>Time</th><td>${e(r.seconds.toFixed(3))} s</td></tr>
${r.error === null ? '' : `<tr><th>Problem</th><td class="fail">${e(r.error)}</td></tr>`}
</table>
<table><tr><th>Check</th><th>Target</th><th>Actual</th><th>Result</th></tr>${checks}</table>
${files === '' ? '' : `<table><tr><th>Export file (${e(r.format)})</th><th>Bytes</th><th>sha256</th></tr>${files}</table>`}
</section>`;
}
