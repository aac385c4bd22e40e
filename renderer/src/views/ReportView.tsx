// The report: the verdict first and largest, then open findings by severity, then the detail views
// (findings, artefacts, signatures) as tabs that the arrow keys move between.

import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { SEVERITIES, type Finding, type Report, type Verdict } from '../../../shared/report.js';
import { formatCount, formatTimestamp } from '../format.js';
import { ArtefactsView } from './ArtefactsView.js';
import { FindingsView } from './FindingsView.js';
import { SignaturesView, signatureFindings } from './SignaturesView.js';

const VERDICT_TEXT: Record<Verdict, { mark: string; headline: string }> = {
  PASS: { mark: '✓', headline: 'Every required check ran and passed.' },
  FAIL: { mark: '✕', headline: 'At least one check failed: this bundle does not prove what it claims.' },
  INCOMPLETE: { mark: '!', headline: 'A required check could not run, so no PASS can be given.' },
};

type Tab = 'findings' | 'artefacts' | 'signatures';
const TABS: readonly Tab[] = ['findings', 'artefacts', 'signatures'];

export function ReportView({ report }: { readonly report: Report }) {
  const [tab, setTab] = useState<Tab>('findings');
  const tabRefs = useRef<Record<Tab, HTMLButtonElement | null>>({ findings: null, artefacts: null, signatures: null });
  const verdictRef = useRef<HTMLElement>(null);
  useEffect(() => verdictRef.current?.focus(), [report]);

  const findings: Finding[] = report.checks.flatMap((c) => c.findings);
  const signatures = signatureFindings(report);
  const failing = findings.filter((f) => f.status === 'fail').length;
  const notRun = findings.filter((f) => f.status === 'not-run').length;
  const badFiles = report.files.filter((f) => f.state !== 'ok').length;
  const counts: Record<Tab, number> = { findings: findings.length, artefacts: report.files.length, signatures: signatures.length };
  const labels: Record<Tab, string> = { findings: 'Findings', artefacts: 'Artefacts', signatures: 'Signatures' };
  const verdict = VERDICT_TEXT[report.verdict];

  const onTabKey = (event: KeyboardEvent<HTMLButtonElement>) => {
    const index = TABS.indexOf(tab);
    const next = event.key === 'ArrowRight' ? TABS[(index + 1) % TABS.length] : event.key === 'ArrowLeft' ? TABS[(index + TABS.length - 1) % TABS.length] : event.key === 'Home' ? TABS[0] : event.key === 'End' ? TABS[TABS.length - 1] : undefined;
    if (next === undefined) return;
    event.preventDefault();
    setTab(next);
    tabRefs.current[next]?.focus();
  };

  return (
    <div className="report">
      <section ref={verdictRef} tabIndex={-1} className={`verdict verdict--${report.verdict.toLowerCase()}`} aria-labelledby="verdict-label">
        <div className="verdict__mark" aria-hidden="true">
          {verdict.mark}
        </div>
        <div className="verdict__text">
          <p className="verdict__caption">Verdict</p>
          <h1 id="verdict-label" className="verdict__label">
            {report.verdict}
          </h1>
          <p className="verdict__headline">{verdict.headline}</p>
          <p className="verdict__summary">
            {formatCount(report.summary.checks)} checks · {formatCount(failing)} failed {failing === 1 ? 'finding' : 'findings'} · {formatCount(notRun)} not run ·{' '}
            {formatCount(badFiles)} of {formatCount(report.files.length)} files with a problem
          </p>
        </div>
        <dl className="verdict__meta">
          <dt>Bundle</dt>
          <dd className="mono">{report.bundle.id ?? 'unknown (no valid manifest)'}</dd>
          <dt>Source</dt>
          <dd className="path">{report.bundle.source}</dd>
          <dt>Manifest sha256</dt>
          <dd className="mono">{report.bundle.manifestSha256 ?? '—'}</dd>
          <dt>Verified</dt>
          <dd>
            {formatTimestamp(report.generatedAt)} · {report.verifier.name} {report.verifier.version}
          </dd>
        </dl>
      </section>

      <section className="severity-counts" aria-label="Open findings by severity">
        {SEVERITIES.map((severity) => (
          <div key={severity} className={`count count--${severity}${report.summary.bySeverity[severity] > 0 ? ' is-nonzero' : ''}`}>
            <span className="count__number">{formatCount(report.summary.bySeverity[severity])}</span>
            <span className="count__label">{severity}</span>
          </div>
        ))}
      </section>

      <div className="tabs" role="tablist" aria-label="Report views">
        {TABS.map((t) => (
          <button
            key={t}
            ref={(el) => {
              tabRefs.current[t] = el;
            }}
            type="button"
            role="tab"
            id={`tab-${t}`}
            aria-selected={tab === t}
            aria-controls={`panel-${t}`}
            tabIndex={tab === t ? 0 : -1}
            className="tab"
            onClick={() => setTab(t)}
            onKeyDown={onTabKey}
          >
            {labels[t]} <span className="tab__count">{formatCount(counts[t])}</span>
          </button>
        ))}
      </div>
      <div className="tabpanel" role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {tab === 'findings' && <FindingsView report={report} />}
        {tab === 'artefacts' && <ArtefactsView files={report.files} />}
        {tab === 'signatures' && <SignaturesView findings={signatures} />}
      </div>
    </div>
  );
}
