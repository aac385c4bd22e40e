// LOG: every hash-chained log the manifest lists is complete and untouched. Each file is verified in one
// streaming pass against its manifest head (count, genesis, head); its signed checkpoint must verify
// with the policy's pipeline key and agree with the manifest; the checkpoints of a segmented log must
// chain (genesis = previous head, seq continuing, time not going back). Findings name the entry.

import type { Subject } from '../../../shared/report.js';
import type { FindingId } from '../../../shared/finding-ids.js';
import type { LogProblem, LogProblemKind } from '../logs/chain.js';
import { expectationsFor, genesisIsBound, loadBundleLogs, type BundleLog, type BundleLogFile } from '../logs/bundle-logs.js';
import { LogUnreadableError, verifyLogs, type LogVerification } from '../logs/verify-log.js';
import { findingOf, type Check, type FindingDraft, type VerifyContext } from './check.js';
import { checkpointKeyName } from '../schemas/policy.js';

/** Problems reported per file; the rest are counted in the evidence of the first. */
const FINDINGS_PER_FILE = 20;

const FINDING_OF_PROBLEM: Readonly<Record<LogProblemKind, FindingId>> = {
  malformed: 'LOG-LINE-MALFORMED',
  'genesis-mismatch': 'LOG-GENESIS-MISMATCH',
  modified: 'LOG-ENTRY-MODIFIED',
  deleted: 'LOG-ENTRY-DELETED',
  inserted: 'LOG-ENTRY-INSERTED',
  reordered: 'LOG-ENTRY-REORDERED',
  duplicated: 'LOG-ENTRY-DUPLICATED',
  'chain-broken': 'LOG-CHAIN-BROKEN',
  'seq-gap': 'LOG-SEQ-GAP',
  'seq-out-of-order': 'LOG-SEQ-OUT-OF-ORDER',
  'time-backwards': 'LOG-TIME-BACKWARDS',
  truncated: 'LOG-TRUNCATED',
  extended: 'LOG-EXTENDED',
  'head-mismatch': 'LOG-HEAD-MISMATCH',
  'first-seq-mismatch': 'LOG-SEQ-GAP',
};

export const logChainCheck: Check = {
  prefix: 'LOG',
  title: 'Log hash chains and signed checkpoints',
  obligation:
    'Art. 12 record-keeping (and Art. 19/26 log retention): the logs must be complete and unaltered; a deleted, inserted, reordered or edited entry, or a cut-off tail, destroys the traceability they exist for.',
  findings: {
    'LOG-CHAIN-VERIFIED': { status: 'pass', severity: 'info', when: 'A log (all its segments) chains from its genesis to the signed head, with the signed number of entries, seq counting up and time never going back.' },
    'LOG-UNREADABLE': { status: 'fail', severity: 'high', when: 'A log the manifest lists is missing from the bundle or cannot be read.' },
    'LOG-LINE-MALFORMED': { status: 'fail', severity: 'high', when: 'A line is not a well-formed log line: empty, not ending in "}", no newline at the end of the file, or its envelope (seq, time, prev, type, correlation_id, in that order) is missing or invalid.' },
    'LOG-GENESIS-MISMATCH': { status: 'fail', severity: 'critical', when: "The first line does not start from the log's genesis: the log was moved from another bundle or path, or rewritten from the start." },
    'LOG-ENTRY-MODIFIED': { status: 'fail', severity: 'critical', when: 'An entry was changed after the next one was written: its bytes no longer hash to the prev the next line recorded.' },
    'LOG-ENTRY-DELETED': { status: 'fail', severity: 'critical', when: 'Entries were removed: a line links to an entry that is not there and sequence numbers are missing.' },
    'LOG-ENTRY-INSERTED': { status: 'fail', severity: 'critical', when: 'An entry was inserted: the chain links past it.' },
    'LOG-ENTRY-REORDERED': { status: 'fail', severity: 'critical', when: 'Entries were reordered: a line links to an entry that comes after it.' },
    'LOG-ENTRY-DUPLICATED': { status: 'fail', severity: 'high', when: 'An entry appears twice, byte for byte.' },
    'LOG-CHAIN-BROKEN': { status: 'fail', severity: 'critical', when: 'A link is broken in a way that fits none of the patterns above.' },
    'LOG-SEQ-GAP': { status: 'fail', severity: 'high', when: 'Sequence numbers skip (or the first one is not the expected one) although the hash links hold: the writer lost or withheld entries.' },
    'LOG-SEQ-OUT-OF-ORDER': { status: 'fail', severity: 'high', when: 'Sequence numbers repeat or go back although the hash links hold.' },
    'LOG-TIME-BACKWARDS': { status: 'fail', severity: 'high', when: "An entry's time is earlier than the previous entry's (or, at a segment's start, than the previous segment's last)." },
    'LOG-TRUNCATED': { status: 'fail', severity: 'critical', when: 'The log has fewer entries than the manifest signed: its tail was cut off.' },
    'LOG-EXTENDED': { status: 'fail', severity: 'high', when: 'The log has more entries than the manifest signed: entries were appended after signing.' },
    'LOG-HEAD-MISMATCH': { status: 'fail', severity: 'critical', when: 'The log has the signed number of entries but its last entry is not the signed head: it was replaced.' },
    'LOG-CHECKPOINT-VERIFIED': { status: 'pass', severity: 'info', when: "Every checkpoint of a log is signed by the policy's pipeline key, agrees with the manifest, and the checkpoints chain in segment order." },
    'LOG-CHECKPOINT-NONE': { status: 'warn', severity: 'low', when: 'The manifest names no signed checkpoint for a log; only the manifest binds its head.' },
    'LOG-CHECKPOINT-MISSING': { status: 'fail', severity: 'high', when: 'A checkpoint the manifest names, or its signature, is not in the bundle.' },
    'LOG-CHECKPOINT-MALFORMED': { status: 'fail', severity: 'high', when: 'A checkpoint is not a valid assay.log-checkpoint/v1 statement, or its signature not a valid Sigstore bundle.' },
    'LOG-CHECKPOINT-SIGNER-UNTRUSTED': { status: 'fail', severity: 'critical', when: "A checkpoint is signed by another key than the policy's pipeline key." },
    'LOG-CHECKPOINT-SIGNATURE-INVALID': { status: 'fail', severity: 'critical', when: 'A checkpoint signature does not verify over the exact bytes of its statement.' },
    'LOG-CHECKPOINT-MISMATCH': { status: 'fail', severity: 'critical', when: "A signed checkpoint disagrees with the manifest's head for the same file (path, genesis, first seq, entries or head)." },
    'LOG-CHECKPOINT-CHAIN-BROKEN': { status: 'fail', severity: 'critical', when: 'The checkpoints of a segmented log do not chain: a segment is missing, out of order, or does not start where the previous one ended.' },
    'LOG-CHECKPOINT-NO-TRUST': { status: 'not-run', severity: 'high', when: 'No trust store or policy was given, so checkpoint signatures cannot be checked (verdict INCOMPLETE).' },
  },
  async run(context: VerifyContext): Promise<readonly FindingDraft[]> {
    if (context.manifest.state !== 'ok') return []; // INT reports the manifest; without it no log is known
    const manifest = context.manifest.value;
    if (manifest.logs.length === 0) return [];
    const key = context.trust !== null && context.policy !== null ? (context.trust.keys.get(checkpointKeyName(context.policy) ?? '') ?? null) : null;
    const logs = await loadBundleLogs(context.bundle.root, context.bundle.files, manifest, key);
    const findings: FindingDraft[] = [];
    if (key === null && logs.some((log) => log.files.some((f) => f.checkpoint.state !== 'none'))) {
      const why = context.policy === null ? 'No trust store and policy were given (--trust, --policy)' : 'The policy names no pipeline key (the manifest signer is a certificate identity), and checkpoints are key-signed';
      findings.push(findingOf(this, 'LOG-CHECKPOINT-NO-TRUST', { kind: 'bundle', ref: context.bundle.source }, `${why}: log checkpoint signatures were not checked`));
    }
    const readable = logs.flatMap((log) => log.files.map((file, index) => ({ log, file, index }))).filter((x) => x.file.absPath !== null);
    let results: LogVerification[];
    try {
      results = await verifyLogs(readable.map((x) => ({ path: x.file.absPath!, expectations: expectationsFor(x.log, x.index) })));
    } catch (error) {
      if (!(error instanceof LogUnreadableError)) throw error;
      return [...findings, findingOf(this, 'LOG-UNREADABLE', { kind: 'file', path: error.path }, error.message)];
    }
    const byFile = new Map(readable.map((x, i) => [x.file, results[i]!]));
    for (const log of logs) findings.push(...logFindings(log, byFile, manifest.bundleId, context));
    return findings;
  },
};

function logFindings(log: BundleLog, results: ReadonlyMap<BundleLogFile, LogVerification>, bundleId: string, context: VerifyContext): FindingDraft[] {
  const check = logChainCheck;
  const manifest = context.manifest.state === 'ok' ? context.manifest.value : null;
  const findings: FindingDraft[] = [];
  let chainIntact = true;
  let checkpointsIntact = log.chainProblems.length === 0;
  for (const file of log.files) {
    const path = file.head.path;
    const fileSubject: Subject = { kind: 'file', path };
    const state = file.checkpoint;
    const checkpointSubject: Subject = { kind: 'file', path: file.head.checkpoint ?? path };
    switch (state.state) {
      case 'none':
        checkpointsIntact = false;
        findings.push(findingOf(check, 'LOG-CHECKPOINT-NONE', fileSubject, `${path} has no signed checkpoint; only the manifest binds its head`));
        if (manifest !== null && !genesisIsBound(bundleId, manifest, file.head)) {
          chainIntact = false;
          findings.push(findingOf(check, 'LOG-GENESIS-MISMATCH', { kind: 'log-entry', path, line: 1 }, `${path} starts from genesis ${file.head.genesis}, which is neither the genesis of this bundle and path nor the head of another log of the manifest`, { genesis: file.head.genesis }));
        }
        break;
      case 'missing':
        checkpointsIntact = false;
        findings.push(findingOf(check, 'LOG-CHECKPOINT-MISSING', checkpointSubject, state.message));
        break;
      case 'malformed':
        checkpointsIntact = false;
        findings.push(findingOf(check, 'LOG-CHECKPOINT-MALFORMED', checkpointSubject, state.message));
        break;
      case 'signer-untrusted':
        checkpointsIntact = false;
        findings.push(findingOf(check, 'LOG-CHECKPOINT-SIGNER-UNTRUSTED', checkpointSubject, state.message, { requiredKey: (context.policy === null ? null : checkpointKeyName(context.policy)) }));
        break;
      case 'signature-invalid':
        checkpointsIntact = false;
        findings.push(findingOf(check, 'LOG-CHECKPOINT-SIGNATURE-INVALID', checkpointSubject, state.message, { key: (context.policy === null ? null : checkpointKeyName(context.policy)) }));
        break;
      case 'unverified':
        checkpointsIntact = false;
        break;
      case 'verified':
        break;
    }
    if (file.mismatches.length > 0 && 'checkpoint' in state) {
      checkpointsIntact = false;
      const cp = state.checkpoint;
      findings.push(
        findingOf(check, 'LOG-CHECKPOINT-MISMATCH', checkpointSubject, `The checkpoint of ${path} disagrees with the manifest on ${file.mismatches.join(', ')}`, {
          checkpointEntries: cp.entries,
          manifestEntries: file.head.entries,
          checkpointHead: cp.head,
          manifestHead: file.head.head,
        }),
      );
    }
    const result = results.get(file);
    if (result === undefined) {
      chainIntact = false;
      findings.push(findingOf(check, 'LOG-UNREADABLE', fileSubject, `${path} is listed in the manifest's logs but is not in the bundle`));
      continue;
    }
    if (!result.intact) chainIntact = false;
    result.problems.slice(0, FINDINGS_PER_FILE).forEach((problem, i) => {
      findings.push(problemFinding(path, problem, i === 0 ? { problemsInFile: result.problemCount } : {}));
    });
  }
  for (const problem of log.chainProblems) {
    findings.push(findingOf(check, 'LOG-CHECKPOINT-CHAIN-BROKEN', { kind: 'file', path: problem.path }, problem.message, { log: log.name, segment: problem.segment }));
  }
  if (chainIntact) {
    const verified = log.files.map((f) => results.get(f)!);
    const entries = verified.reduce((sum, r) => sum + r.entries, 0);
    const bytes = verified.reduce((sum, r) => sum + r.bytes, 0);
    const last = log.files[log.files.length - 1]!;
    findings.push(
      findingOf(check, 'LOG-CHAIN-VERIFIED', { kind: 'file', path: log.files.length === 1 ? log.files[0]!.head.path : log.name }, `${log.name}: ${entries} entries in ${log.files.length} file${log.files.length === 1 ? '' : 's'} chain from the genesis to the signed head ${last.head.head}`, {
        log: log.name,
        segments: log.files.length,
        entries,
        bytes,
        head: last.head.head,
        firstTime: verified.find((r) => r.firstTime !== null)?.firstTime ?? null,
        lastTime: [...verified].reverse().find((r) => r.lastTime !== null)?.lastTime ?? null,
      }),
    );
  }
  if (checkpointsIntact) {
    findings.push(findingOf(check, 'LOG-CHECKPOINT-VERIFIED', { kind: 'file', path: log.files[0]!.head.checkpoint ?? log.name }, `${log.name}: ${log.files.length} checkpoint${log.files.length === 1 ? '' : 's'} signed by key "${(context.policy === null ? null : checkpointKeyName(context.policy)) ?? '?'}", matching the manifest and chained in order`, { log: log.name, segments: log.files.length }));
  }
  return findings;
}

function problemFinding(path: string, problem: LogProblem, extra: Record<string, number>): FindingDraft {
  const subject: Subject = problem.seq === null ? { kind: 'log-entry', path, line: problem.line } : { kind: 'log-entry', path, line: problem.line, seq: problem.seq };
  return findingOf(logChainCheck, FINDING_OF_PROBLEM[problem.kind], subject, `${path}: ${problem.message}`, { ...problem.evidence, ...extra });
}
