// Open: a bundle folder or archive by dialog, drag and drop, or from the recent list; and the trust
// store and policy the verdict will be judged against.

import { useEffect, useRef } from 'react';
import type { AppSettings, BundleKind } from '../../../shared/ipc-contract.js';
import { formatTimestamp } from '../format.js';
import { VerdictBadge } from '../components/Badges.js';

interface Props {
  readonly settings: AppSettings | null;
  readonly notice: { readonly tone: 'info' | 'error'; readonly text: string } | null;
  onOpen(kind: BundleKind): void;
  onOpenRecent(source: string): void;
  onForgetRecent(source: string): void;
  onChooseTrust(): void;
  onChoosePolicy(): void;
  onClearTrust(): void;
}

export function OpenView({ settings, notice, onOpen, onOpenRecent, onForgetRecent, onChooseTrust, onChoosePolicy, onClearTrust }: Props) {
  const firstButton = useRef<HTMLButtonElement>(null);
  useEffect(() => firstButton.current?.focus(), []);
  const trustComplete = settings !== null && settings.trustDir !== null && settings.policyPath !== null;
  return (
    <div className="open">
      {notice !== null && (
        <div className={`notice notice--${notice.tone}`} role={notice.tone === 'error' ? 'alert' : 'status'}>
          {notice.text}
        </div>
      )}
      <section className="card open__primary" aria-labelledby="open-heading">
        <h1 id="open-heading">Verify an evidence bundle</h1>
        <p className="muted">
          Every file is hashed and compared with the signed manifest; signatures are checked against your own trust store. Nothing is fetched from
          the network.
        </p>
        <div className="open__actions">
          <button ref={firstButton} type="button" className="button button--primary" onClick={() => onOpen('directory')}>
            Open bundle folder…
          </button>
          <button type="button" className="button button--secondary" onClick={() => onOpen('archive')}>
            Open bundle archive…
          </button>
        </div>
        <div className="dropzone" aria-hidden="true">
          or drop a bundle folder, <code>.tar</code>, <code>.tar.gz</code> or <code>.zip</code> anywhere in this window
        </div>
      </section>

      <section className="card" aria-labelledby="trust-heading">
        <h2 id="trust-heading">Trust store and policy</h2>
        {!trustComplete && (
          <p className="warning" role="note">
            Without both a trust store and a policy, signatures cannot be checked and no bundle can PASS: the verdict is INCOMPLETE at best.
          </p>
        )}
        <dl className="fields">
          <dt>Trust store</dt>
          <dd className="path">{settings?.trustDir ?? <span className="muted">Not chosen</span>}</dd>
          <dt>Policy</dt>
          <dd className="path">{settings?.policyPath ?? <span className="muted">Not chosen</span>}</dd>
        </dl>
        <div className="row-actions">
          <button type="button" className="button button--secondary" onClick={onChooseTrust}>
            Choose trust store…
          </button>
          <button type="button" className="button button--secondary" onClick={onChoosePolicy}>
            Choose policy…
          </button>
          {(settings !== null && (settings.trustDir !== null || settings.policyPath !== null)) && (
            <button type="button" className="button button--quiet" onClick={onClearTrust}>
              Clear
            </button>
          )}
        </div>
      </section>

      <section className="card" aria-labelledby="recent-heading">
        <h2 id="recent-heading">Recent bundles</h2>
        {settings === null || settings.recent.length === 0 ? (
          <p className="muted">Bundles you open appear here.</p>
        ) : (
          <ul className="recent" aria-labelledby="recent-heading">
            {settings.recent.map((entry) => (
              <li key={entry.source} className="recent__item">
                <button type="button" className="recent__open" onClick={() => onOpenRecent(entry.source)} aria-label={`Verify again: ${entry.source}`}>
                  <span className="path">{entry.source}</span>
                  <span className="muted recent__when">{formatTimestamp(entry.openedAt)}</span>
                </button>
                {entry.verdict === null ? <span className="badge badge--muted">no verdict</span> : <VerdictBadge verdict={entry.verdict} />}
                <button type="button" className="button button--quiet" onClick={() => onForgetRecent(entry.source)} aria-label={`Forget ${entry.source}`}>
                  Forget
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
