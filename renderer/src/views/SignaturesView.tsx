// Signatures and attestations: who signed what, read from the SIG findings' evidence. The view names the
// fields an assessor looks for (signer, issuer, certificate validity, log entry, timestamp, statement)
// and says plainly when the evidence does not record one, so later checks only add evidence keys.

import type { Evidence, Finding, Report } from '../../../shared/report.js';
import { subjectLabel } from '../../../shared/report.js';
import { SeverityBadge, StatusBadge } from '../components/Badges.js';
import { EvidenceList } from '../components/EvidenceList.js';

/** The signature-related findings of a report (SIG- and ATT-), in report order. */
export function signatureFindings(report: Report): Finding[] {
  return report.checks.flatMap((c) => c.findings).filter((f) => f.id.startsWith('SIG-') || f.id.startsWith('ATT-'));
}

interface Field {
  readonly label: string;
  /** Evidence keys that carry this field, first present wins. */
  readonly keys: readonly string[];
}

const FIELDS: readonly Field[] = [
  { label: 'Signer', keys: ['signerIdentity', 'certificateIdentity', 'identity', 'key', 'requiredKey'] },
  { label: 'Algorithm', keys: ['algorithm', 'keyAlgorithm'] },
  { label: 'Key hint', keys: ['keyHint', 'bundleHint', 'requiredHint'] },
  { label: 'Issuer', keys: ['issuer', 'oidcIssuer', 'certificateIssuer'] },
  { label: 'Certificate validity', keys: ['certificateValidity', 'certNotBefore'] },
  { label: 'Transparency log entry', keys: ['logEntry', 'logIndex', 'tlogIndex', 'rekorLogIndex'] },
  { label: 'Timestamp', keys: ['timestamp', 'signedTimestamp', 'integratedTime'] },
  { label: 'Statement', keys: ['statement', 'predicateType', 'payloadType'] },
  { label: 'Bundle format', keys: ['mediaType'] },
];

function fieldValue(evidence: Evidence, field: Field): string | null {
  if (field.label === 'Certificate validity' && evidence.certNotBefore !== undefined && evidence.certNotBefore !== null && evidence.certNotAfter !== undefined && evidence.certNotAfter !== null) {
    return `${String(evidence.certNotBefore)} → ${String(evidence.certNotAfter)}`;
  }
  for (const key of field.keys) {
    const value = evidence[key];
    if (value !== undefined && value !== null && value !== '') return String(value);
  }
  return null;
}

export function SignaturesView({ findings }: { readonly findings: readonly Finding[] }) {
  if (findings.length === 0) return <p className="muted">This report has no signature findings.</p>;
  const used = new Set(FIELDS.flatMap((f) => f.keys).concat('certNotAfter'));
  return (
    <div className="signatures">
      {findings.map((finding, index) => {
        const others = Object.fromEntries(Object.entries(finding.evidence).filter(([key]) => !used.has(key)));
        return (
          <article key={`${finding.id}-${index}`} className={`card signature signature--${finding.status}`} aria-labelledby={`sig-${index}`}>
            <header className="signature__head">
              <div>
                <h2 id={`sig-${index}`} className="signature__title path">
                  {subjectLabel(finding.subject)}
                </h2>
                <p className="signature__message">{finding.message}</p>
              </div>
              <div className="detail__badges">
                <StatusBadge status={finding.status} />
                <SeverityBadge severity={finding.severity} />
              </div>
            </header>
            <dl className="fields">
              {FIELDS.map((field) => {
                const value = fieldValue(finding.evidence, field);
                return (
                  <div key={field.label} className="fields__pair">
                    <dt>{field.label}</dt>
                    <dd className={value === null ? 'muted' : 'mono'}>{value ?? 'not recorded in the evidence'}</dd>
                  </div>
                );
              })}
            </dl>
            {Object.keys(others).length > 0 && (
              <>
                <h3>Other evidence</h3>
                <EvidenceList evidence={others} />
              </>
            )}
            <p className="signature__id muted">
              <span className="mono">{finding.id}</span> · {finding.obligation}
            </p>
          </article>
        );
      })}
    </div>
  );
}
