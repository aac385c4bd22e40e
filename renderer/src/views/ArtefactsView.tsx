// Artefacts: every file the manifest lists or the bundle holds, with expected and actual sha256 and
// size and the state that follows (report.files). Problems first; virtualised for large bundles.

import { useMemo, useRef, useState } from 'react';
import type { FileRecord, FileState } from '../../../shared/file-records.js';
import { FileStateBadge, fileStateText } from '../components/Badges.js';
import { VirtualListbox } from '../components/VirtualListbox.js';
import { formatBytes, shortDigest } from '../format.js';

const STATES: readonly FileState[] = ['hash-mismatch', 'size-mismatch', 'missing', 'unlisted', 'unreadable', 'ok'];

export function ArtefactsView({ files }: { readonly files: readonly FileRecord[] }) {
  const sorted = useMemo(() => [...files].sort((a, b) => STATES.indexOf(a.state) - STATES.indexOf(b.state) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)), [files]);
  const [state, setState] = useState<FileState | 'problems' | 'all'>('all');
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const [selected, setSelected] = useState<FileRecord | null>(null);
  const detailRef = useRef<HTMLElement>(null);
  const visible = useMemo(() => {
    const needle = query.trim().toLowerCase();
    return sorted.filter(
      (f) =>
        (state === 'all' || (state === 'problems' ? f.state !== 'ok' : f.state === state)) &&
        (needle === '' || `${f.path} ${f.expectedSha256 ?? ''} ${f.actualSha256 ?? ''}`.toLowerCase().includes(needle)),
    );
  }, [sorted, state, query]);
  const selectedIndex = selected === null ? null : visible.indexOf(selected);

  return (
    <div className="split">
      <div className="split__list">
        <div className="toolbar" role="group" aria-label="Filter artefacts">
          <label>
            State
            <select
              value={state}
              onChange={(e) => {
                setState(e.target.value as FileState | 'problems' | 'all');
                setActive(0);
              }}
            >
              <option value="all">All</option>
              <option value="problems">Any problem</option>
              {STATES.map((s) => (
                <option key={s} value={s}>
                  {fileStateText(s)}
                </option>
              ))}
            </select>
          </label>
          <label className="toolbar__search">
            Search
            <input
              type="search"
              value={query}
              placeholder="path or sha256…"
              onChange={(e) => {
                setQuery(e.target.value);
                setActive(0);
              }}
            />
          </label>
          <span className="toolbar__count" aria-live="polite">
            {visible.length} of {files.length}
          </span>
        </div>
        <VirtualListbox
          items={visible}
          label="Artefacts"
          rowHeight={40}
          activeIndex={active}
          selectedIndex={selectedIndex === -1 ? null : selectedIndex}
          onActiveChange={setActive}
          onOpen={(index) => {
            const file = visible[index];
            if (file === undefined) return;
            setSelected(file);
            requestAnimationFrame(() => detailRef.current?.focus());
          }}
          rowLabel={(f) => `${f.path}: ${fileStateText(f.state)}`}
          empty={<p className="muted">No files match these filters.</p>}
          header={
            <div className="file-row file-row--header" aria-hidden="true">
              <span>Path</span>
              <span>State</span>
              <span className="num">Size</span>
              <span>sha256 (expected → actual)</span>
            </div>
          }
          renderRow={(f) => (
            <div className={`file-row${f.state === 'ok' ? '' : ' file-row--bad'}`}>
              <span className="path file-row__path">{f.path}</span>
              <span>
                <FileStateBadge state={f.state} />
              </span>
              <span className="num">{formatBytes(f.actualSize ?? f.expectedSize)}</span>
              <span className="mono file-row__hash">
                {f.expectedSha256 === f.actualSha256 ? (
                  shortDigest(f.actualSha256)
                ) : (
                  <>
                    {shortDigest(f.expectedSha256)} → <span className="mismatch">{shortDigest(f.actualSha256)}</span>
                  </>
                )}
              </span>
            </div>
          )}
        />
      </div>
      <section ref={detailRef} tabIndex={-1} className="split__detail detail" aria-label="Artefact detail" onKeyDown={(e) => e.key === 'Escape' && setSelected(null)}>
        {selected === null ? (
          <p className="muted detail__placeholder">Select a file (arrow keys, then Enter) to see its full expected and actual sha256.</p>
        ) : (
          <>
            <div className="detail__badges">
              <FileStateBadge state={selected.state} />
            </div>
            <h2 className="detail__title path">{selected.path}</h2>
            <dl className="fields">
              <dt>Expected sha256</dt>
              <dd className="mono">{selected.expectedSha256 ?? <span className="muted">not listed in the manifest</span>}</dd>
              <dt>Actual sha256</dt>
              <dd className={`mono${selected.actualSha256 !== selected.expectedSha256 ? ' mismatch' : ''}`}>{selected.actualSha256 ?? <span className="muted">not read</span>}</dd>
              <dt>Expected size</dt>
              <dd>{selected.expectedSize === null ? '—' : `${selected.expectedSize.toLocaleString('en-GB')} bytes`}</dd>
              <dt>Actual size</dt>
              <dd>{selected.actualSize === null ? '—' : `${selected.actualSize.toLocaleString('en-GB')} bytes`}</dd>
              {selected.error !== null && (
                <>
                  <dt>Error</dt>
                  <dd>{selected.error}</dd>
                </>
              )}
            </dl>
          </>
        )}
      </section>
    </div>
  );
}
