// The app's states: choosing a bundle, verifying it (progress, cancel), and reading the report. One
// verification at a time; its job id ties progress events and a cancel to it.

import { useCallback, useEffect, useRef, useState, type DragEvent } from 'react';
import type { AppSettings, BundleKind, VerifyProgress } from '../../shared/ipc-contract.js';
import type { Report } from '../../shared/report.js';
import { bridge } from './bridge.js';
import { OpenView } from './views/OpenView.js';
import { ProgressView } from './views/ProgressView.js';
import { ReportView } from './views/ReportView.js';

export type Screen =
  | { readonly kind: 'open'; readonly notice: { readonly tone: 'info' | 'error'; readonly text: string } | null }
  | { readonly kind: 'verifying'; readonly jobId: string; readonly source: string; readonly progress: VerifyProgress | null; readonly cancelling: boolean }
  | { readonly kind: 'report'; readonly source: string; readonly report: Report };

let jobCounter = 0;
function newJobId(): string {
  jobCounter += 1;
  return `job-${Date.now().toString(36)}-${jobCounter}`;
}

export function App() {
  const api = bridge();
  const [screen, setScreen] = useState<Screen>({ kind: 'open', notice: null });
  const [settings, setSettings] = useState<AppSettings | null>(null);
  const [dropActive, setDropActive] = useState(false);
  const jobRef = useRef<string | null>(null);

  const refreshSettings = useCallback(() => {
    void api.getSettings().then(setSettings);
  }, [api]);

  useEffect(refreshSettings, [refreshSettings]);

  useEffect(
    () =>
      api.onProgress((progress) => {
        setScreen((current) => (current.kind === 'verifying' && current.jobId === progress.jobId ? { ...current, progress } : current));
      }),
    [api],
  );

  const verify = useCallback(
    async (source: string) => {
      if (jobRef.current !== null) return;
      const jobId = newJobId();
      jobRef.current = jobId;
      setScreen({ kind: 'verifying', jobId, source, progress: null, cancelling: false });
      try {
        const outcome = await api.verify({ jobId, source });
        if (outcome.kind === 'report') setScreen({ kind: 'report', source, report: outcome.report });
        else if (outcome.kind === 'cancelled') setScreen({ kind: 'open', notice: { tone: 'info', text: `Verification of ${source} was cancelled. No verdict was reached.` } });
        else setScreen({ kind: 'open', notice: { tone: 'error', text: `Could not verify ${source}: ${outcome.message}` } });
      } catch (error) {
        setScreen({ kind: 'open', notice: { tone: 'error', text: `Could not verify ${source}: ${error instanceof Error ? error.message : String(error)}` } });
      } finally {
        jobRef.current = null;
        refreshSettings();
      }
    },
    [api, refreshSettings],
  );

  const openWithDialog = useCallback(
    async (kind: BundleKind) => {
      if (jobRef.current !== null) return;
      const source = await api.chooseBundle(kind);
      if (source !== null) await verify(source);
    },
    [api, verify],
  );

  const cancel = useCallback(() => {
    const jobId = jobRef.current;
    if (jobId === null) return;
    setScreen((current) => (current.kind === 'verifying' ? { ...current, cancelling: true } : current));
    void api.cancel(jobId);
  }, [api]);

  useEffect(
    () =>
      api.onMenuCommand((command) => {
        if (command === 'open-directory') void openWithDialog('directory');
        else if (command === 'open-archive') void openWithDialog('archive');
        else if (command === 'close-report') setScreen((current) => (current.kind === 'report' ? { kind: 'open', notice: null } : current));
      }),
    [api, openWithDialog],
  );

  // Drag and drop of a bundle folder or archive anywhere on the window.
  const onDragOver = (event: DragEvent) => {
    if (screen.kind === 'verifying') return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    setDropActive(true);
  };
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDropActive(false);
    const file = event.dataTransfer.files[0];
    if (file === undefined || screen.kind === 'verifying') return;
    const source = api.pathForFile(file);
    if (source === null) {
      setScreen({ kind: 'open', notice: { tone: 'error', text: 'That item has no path on disk; drop a bundle folder or archive from your file manager.' } });
      return;
    }
    void verify(source);
  };

  return (
    <div className="app" onDragOver={onDragOver} onDragLeave={() => setDropActive(false)} onDrop={onDrop}>
      <header className="topbar">
        <div className="brand">
          <span className="brand__name">Assay</span>
          <span className="brand__tag">Evidence bundle verifier · offline</span>
        </div>
        {screen.kind === 'report' && (
          <button type="button" className="button button--secondary" onClick={() => setScreen({ kind: 'open', notice: null })}>
            Open another bundle
          </button>
        )}
      </header>
      <main className="content" id="main">
        {screen.kind === 'open' && (
          <OpenView
            settings={settings}
            notice={screen.notice}
            onOpen={(kind) => void openWithDialog(kind)}
            onOpenRecent={(source) => void verify(source)}
            onForgetRecent={(source) => void api.forgetRecent(source).then(setSettings)}
            onChooseTrust={() => void api.chooseTrustDir().then(setSettings)}
            onChoosePolicy={() => void api.choosePolicy().then(setSettings)}
            onClearTrust={() => void api.clearTrust().then(setSettings)}
          />
        )}
        {screen.kind === 'verifying' && <ProgressView source={screen.source} progress={screen.progress} cancelling={screen.cancelling} onCancel={cancel} />}
        {screen.kind === 'report' && <ReportView report={screen.report} />}
      </main>
      {dropActive && (
        <div className="drop-overlay" aria-hidden="true">
          <div className="drop-overlay__box">Drop a bundle folder or archive to verify it</div>
        </div>
      )}
    </div>
  );
}
