// Progress while the engine hashes the bundle: bytes and files done, throughput, and cancel.

import { useEffect, useRef } from 'react';
import type { VerifyProgress } from '../../../shared/ipc-contract.js';
import { formatBytes, formatCount, formatRate } from '../format.js';

interface Props {
  readonly source: string;
  readonly progress: VerifyProgress | null;
  readonly cancelling: boolean;
  onCancel(): void;
}

export function ProgressView({ source, progress, cancelling, onCancel }: Props) {
  const cancelButton = useRef<HTMLButtonElement>(null);
  useEffect(() => cancelButton.current?.focus(), []);
  const fraction = progress === null || progress.bytesTotal === 0 ? 0 : progress.bytesDone / progress.bytesTotal;
  const percent = Math.floor(fraction * 100);
  return (
    <section className="card progress" aria-labelledby="progress-heading">
      <h1 id="progress-heading">{cancelling ? 'Cancelling…' : 'Verifying'}</h1>
      <p className="path">{source}</p>
      <div
        className="progress__track"
        role="progressbar"
        aria-label="Hashing the bundle's files"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={progress === null ? 'Opening the bundle' : `${percent}%`}
      >
        <div className="progress__fill" style={{ width: `${fraction * 100}%` }} />
      </div>
      <p className="progress__stats" aria-live="polite">
        {progress === null ? (
          'Opening the bundle and reading the manifest…'
        ) : (
          <>
            <span>
              {formatBytes(progress.bytesDone)} of {formatBytes(progress.bytesTotal)}
            </span>
            <span>
              {formatCount(progress.filesDone)} of {formatCount(progress.filesTotal)} files
            </span>
            <span className="progress__rate">{formatRate(progress.bytesDone, progress.elapsedMs)}</span>
          </>
        )}
      </p>
      <button ref={cancelButton} type="button" className="button button--secondary" onClick={onCancel} disabled={cancelling}>
        Cancel
      </button>
    </section>
  );
}
