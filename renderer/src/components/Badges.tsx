// Verdict, status, severity and file-state badges: always a word, never colour alone.

import type { FileState } from '../../../shared/file-records.js';
import type { FindingStatus, Severity, Verdict } from '../../../shared/report.js';

const STATUS_TEXT: Record<FindingStatus, string> = { fail: 'Fail', 'not-run': 'Not run', warn: 'Warning', pass: 'Pass' };
const STATE_TEXT: Record<FileState, string> = {
  ok: 'OK',
  missing: 'Missing',
  'size-mismatch': 'Size differs',
  'hash-mismatch': 'Hash differs',
  unlisted: 'Not in manifest',
  unreadable: 'Unreadable',
};

export function VerdictBadge({ verdict }: { readonly verdict: Verdict }) {
  return <span className={`badge badge--verdict-${verdict.toLowerCase()}`}>{verdict}</span>;
}

export function StatusBadge({ status }: { readonly status: FindingStatus }) {
  return <span className={`badge badge--status-${status}`}>{STATUS_TEXT[status]}</span>;
}

export function SeverityBadge({ severity }: { readonly severity: Severity }) {
  return <span className={`severity severity--${severity}`}>{severity}</span>;
}

export function FileStateBadge({ state }: { readonly state: FileState }) {
  return <span className={`badge badge--file-${state === 'ok' ? 'ok' : 'bad'}`}>{STATE_TEXT[state]}</span>;
}

export function statusText(status: FindingStatus): string {
  return STATUS_TEXT[status];
}

export function fileStateText(state: FileState): string {
  return STATE_TEXT[state];
}
