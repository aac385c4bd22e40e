// A finding's evidence as a key/value list. Values are bundle-derived text: rendered as text nodes only.

import type { Evidence } from '../../../shared/report.js';

export function EvidenceList({ evidence }: { readonly evidence: Evidence }) {
  const entries = Object.entries(evidence);
  if (entries.length === 0) return <p className="muted">No further evidence recorded.</p>;
  return (
    <dl className="fields fields--evidence">
      {entries.map(([key, value]) => (
        <div key={key} className="fields__pair">
          <dt>{key}</dt>
          <dd className="mono">{value === null ? <span className="muted">null</span> : String(value)}</dd>
        </div>
      ))}
    </dl>
  );
}
