// Plain-text report for terminals and CI logs: verdict first, then each check with what failed and why.

import type { Finding, Report } from '../../../shared/report.js';
import { subjectLabel } from '../../../shared/report.js';

const STATUS_MARK: Record<Finding['status'], string> = { pass: 'ok  ', fail: 'FAIL', warn: 'warn', 'not-run': 'skip' };

export function renderText(report: Report): string {
  const lines: string[] = [];
  const s = report.summary;
  lines.push(`Assay ${report.verifier.version} verification report`);
  lines.push(`Bundle:   ${sanitise(report.bundle.source)}`);
  if (report.bundle.id !== null) lines.push(`Id:       ${report.bundle.id}`);
  if (report.bundle.manifestSha256 !== null) lines.push(`Manifest: sha256:${report.bundle.manifestSha256}`);
  lines.push(`Verdict:  ${report.verdict}`);
  lines.push(
    `Summary:  ${s.checks} checks, ${s.failed} failed findings, ${s.notRun} not run; ` +
      `critical ${s.bySeverity.critical}, high ${s.bySeverity.high}, medium ${s.bySeverity.medium}, low ${s.bySeverity.low}`,
  );
  for (const check of report.checks) {
    lines.push('');
    lines.push(`[${check.status.toUpperCase()}] ${check.check} ${check.title}`);
    for (const finding of check.findings) {
      lines.push(`  ${STATUS_MARK[finding.status]} ${finding.id} (${finding.severity}) ${sanitise(subjectLabel(finding.subject))}`);
      lines.push(`       ${sanitise(finding.message)}`);
      if (finding.status !== 'pass') {
        for (const [key, value] of Object.entries(finding.evidence)) {
          if (value !== null) lines.push(`       ${key}: ${sanitise(String(value))}`);
        }
        lines.push(`       why: ${finding.obligation}`);
      }
    }
  }
  lines.push('');
  return lines.join('\n');
}

/** Bundle text reaches the terminal: strip control characters so it cannot move the cursor or recolour. */
function sanitise(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '\uFFFD');
}
