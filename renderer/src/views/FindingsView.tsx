// Findings: filter by status and severity, search, and the detail of one finding with the evidence that
// decided it and why it matters. Failing findings come first, most severe first.

import { useMemo, useRef, useState } from 'react';
import { SEVERITIES, subjectLabel, type CheckResult, type Finding, type FindingStatus, type Report, type Severity } from '../../../shared/report.js';
import { SeverityBadge, StatusBadge, statusText } from '../components/Badges.js';
import { EvidenceList } from '../components/EvidenceList.js';
import { VirtualListbox } from '../components/VirtualListbox.js';

const STATUS_ORDER: readonly FindingStatus[] = ['fail', 'not-run', 'warn', 'pass'];

interface Row {
  readonly finding: Finding;
  readonly check: CheckResult;
}

export function FindingsView({ report }: { readonly report: Report }) {
  const rows = useMemo<Row[]>(
    () =>
      report.checks
        .flatMap((check) => check.findings.map((finding) => ({ finding, check })))
        .sort(
          (a, b) =>
            STATUS_ORDER.indexOf(a.finding.status) - STATUS_ORDER.indexOf(b.finding.status) ||
            SEVERITIES.indexOf(a.finding.severity) - SEVERITIES.indexOf(b.finding.severity) ||
            a.finding.id.localeCompare(b.finding.id),
        ),
    [report],
  );
  const [status, setStatus] = useState<FindingStatus | 'all'>('all');
  const [severity, setSeverity] = useState<Severity | 'all'>('all');
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const [selected, setSelected] = useState<Finding | null>(null);
  const detailRef = useRef<HTMLElement>(null);

  const visible = useMemo(() => {
    const needle = query.trim().toLowerCase();
    return rows.filter(
      ({ finding }) =>
        (status === 'all' || finding.status === status) &&
        (severity === 'all' || finding.severity === severity) &&
        (needle === '' || searchText(finding).includes(needle)),
    );
  }, [rows, status, severity, query]);

  const open = (index: number) => {
    const row = visible[index];
    if (row === undefined) return;
    setSelected(row.finding);
    requestAnimationFrame(() => detailRef.current?.focus());
  };
  const selectedIndex = selected === null ? null : visible.findIndex((r) => r.finding === selected);
  const selectedRow = selected === null ? undefined : rows.find((r) => r.finding === selected);

  return (
    <div className="split">
      <div className="split__list">
        <div className="toolbar" role="group" aria-label="Filter findings">
          <label>
            Status
            <select value={status} onChange={(e) => {
                setStatus(e.target.value as FindingStatus | 'all');
                setActive(0);
              }}>
              <option value="all">All</option>
              {STATUS_ORDER.map((s) => (
                <option key={s} value={s}>
                  {statusText(s)}
                </option>
              ))}
            </select>
          </label>
          <label>
            Severity
            <select value={severity} onChange={(e) => {
                setSeverity(e.target.value as Severity | 'all');
                setActive(0);
              }}>
              <option value="all">All</option>
              {SEVERITIES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
          <label className="toolbar__search">
            Search
            <input type="search" value={query} placeholder="id, file, message…" onChange={(e) => {
                setQuery(e.target.value);
                setActive(0);
              }} />
          </label>
          <span className="toolbar__count" aria-live="polite">
            {visible.length} of {rows.length}
          </span>
        </div>
        <VirtualListbox
          items={visible}
          label="Findings"
          rowHeight={58}
          activeIndex={active}
          selectedIndex={selectedIndex === -1 ? null : selectedIndex}
          onActiveChange={setActive}
          onOpen={open}
          rowLabel={({ finding }) => `${statusText(finding.status)}, ${finding.severity}: ${finding.id} — ${subjectLabel(finding.subject)}`}
          empty={<p className="muted">No findings match these filters.</p>}
          renderRow={({ finding }) => (
            <div className={`finding-row finding-row--${finding.status}`}>
              <div className="finding-row__top">
                <StatusBadge status={finding.status} />
                <SeverityBadge severity={finding.severity} />
                <span className="finding-row__id mono">{finding.id}</span>
                <span className="finding-row__subject path">{subjectLabel(finding.subject)}</span>
              </div>
              <div className="finding-row__message">{finding.message}</div>
            </div>
          )}
        />
      </div>
      <section ref={detailRef} tabIndex={-1} className="split__detail detail" aria-label="Finding detail" onKeyDown={(e) => e.key === 'Escape' && setSelected(null)}>
        {selectedRow === undefined ? (
          <p className="muted detail__placeholder">Select a finding (arrow keys, then Enter) to see the evidence that decided it and why it matters.</p>
        ) : (
          <FindingDetail row={selectedRow} />
        )}
      </section>
    </div>
  );
}

function FindingDetail({ row }: { readonly row: Row }) {
  const { finding, check } = row;
  return (
    <>
      <div className="detail__badges">
        <StatusBadge status={finding.status} />
        <SeverityBadge severity={finding.severity} />
      </div>
      <h2 className="detail__title mono">{finding.id}</h2>
      <p className="detail__message">{finding.message}</p>
      <dl className="fields">
        <dt>Subject</dt>
        <dd className="path">
          <span className="muted">{finding.subject.kind}: </span>
          {subjectLabel(finding.subject)}
        </dd>
        <dt>Check</dt>
        <dd>
          <span className="mono">{check.check}</span> · {check.title}
        </dd>
      </dl>
      <h3>Why it matters</h3>
      <p className="detail__obligation">{finding.obligation}</p>
      <h3>Evidence</h3>
      <EvidenceList evidence={finding.evidence} />
    </>
  );
}

function searchText(finding: Finding): string {
  return [finding.id, finding.message, subjectLabel(finding.subject), finding.severity, finding.status, ...Object.entries(finding.evidence).map(([k, v]) => `${k} ${String(v)}`)]
    .join(' ')
    .toLowerCase();
}
