// INT: the manifest is readable and schema-valid, and every file of the bundle is exactly the file the
// manifest lists: present, same size, same sha256, and nothing present that it does not list.

import { compareFiles, type FileRecord, type ListedFile } from '../../../shared/file-records.js';
import { SELF_COVERED_PATHS } from '../schemas/manifest.js';
import { findingOf, type Check, type FindingDraft, type VerifyContext } from './check.js';

const MANIFEST = { kind: 'file', path: 'manifest.json' } as const;

export const integrityCheck: Check = {
  prefix: 'INT',
  title: 'Bundle integrity',
  obligation:
    'Art. 12 record-keeping and Art. 15 integrity: the evidence assessed must be exactly the evidence the pipeline produced, byte for byte.',
  findings: {
    'INT-FILES-VERIFIED': { status: 'pass', severity: 'info', when: 'Every listed file is present with its size and sha256, and no other file is present.' },
    'INT-MANIFEST-MISSING': { status: 'fail', severity: 'critical', when: 'The bundle has no manifest.json.' },
    'INT-MANIFEST-UNPARSEABLE': { status: 'fail', severity: 'critical', when: 'manifest.json is not UTF-8 JSON.' },
    'INT-MANIFEST-DUPLICATE-KEY': { status: 'fail', severity: 'critical', when: 'manifest.json repeats a key in an object (a signature-confusion trick).' },
    'INT-MANIFEST-SCHEMA': { status: 'fail', severity: 'critical', when: 'manifest.json does not match the assay.manifest/v1 schema.' },
    'INT-FILE-MISSING': { status: 'fail', severity: 'high', when: 'A file the manifest lists is not in the bundle.' },
    'INT-FILE-SIZE-MISMATCH': { status: 'fail', severity: 'critical', when: 'A file has another size than the manifest says.' },
    'INT-FILE-HASH-MISMATCH': { status: 'fail', severity: 'critical', when: 'A file has another sha256 than the manifest says.' },
    'INT-FILE-UNLISTED': { status: 'fail', severity: 'high', when: 'A file is in the bundle but not in the manifest.' },
    'INT-FILE-UNREADABLE': { status: 'fail', severity: 'high', when: 'A file could not be read to hash it.' },
    'INT-FILE-NOT-REGULAR': { status: 'fail', severity: 'high', when: 'The bundle holds a symlink, device or other non-regular entry.' },
    'INT-ARCHIVE-UNSAFE-PATH': { status: 'fail', severity: 'critical', when: 'An archive entry has an absolute path, a ".." segment or another path that could leave the bundle, or a name Windows would store elsewhere (device name, ":" stream, trailing dot or space).' },
    'INT-ARCHIVE-LINK': { status: 'fail', severity: 'critical', when: 'An archive holds a symbolic or hard link.' },
    'INT-ARCHIVE-SPECIAL-FILE': { status: 'fail', severity: 'critical', when: 'An archive holds a device file, FIFO or other special entry.' },
    'INT-ARCHIVE-DUPLICATE-ENTRY': { status: 'fail', severity: 'critical', when: 'An archive holds two entries with the same name (also after Unicode normalisation and case folding).' },
    'INT-ARCHIVE-TOO-MANY-ENTRIES': { status: 'fail', severity: 'high', when: 'An archive has more entries than the policy allows.' },
    'INT-ARCHIVE-TOO-LARGE': { status: 'fail', severity: 'high', when: 'An archive expands to more bytes than the policy allows.' },
    'INT-ARCHIVE-RATIO': { status: 'fail', severity: 'high', when: 'An archive expands beyond the allowed compression ratio (a decompression bomb).' },
    'INT-ARCHIVE-CORRUPT': { status: 'fail', severity: 'high', when: 'An archive is truncated, corrupt or uses an unsupported feature.' },
  },
  run(context: VerifyContext): readonly FindingDraft[] {
    const findings: FindingDraft[] = context.bundle.problems.map((problem) =>
      findingOf(this, 'INT-FILE-NOT-REGULAR', { kind: 'file', path: problem.path }, `${problem.path} is not a regular file (${problem.kind}): ${problem.detail}`, {
        entryKind: problem.kind,
      }),
    );
    const manifest = context.manifest;
    switch (manifest.state) {
      case 'missing':
        return [...findings, findingOf(this, 'INT-MANIFEST-MISSING', MANIFEST, 'The bundle has no manifest.json, so no file can be checked.')];
      case 'invalid': {
        const id =
          manifest.kind === 'schema' ? 'INT-MANIFEST-SCHEMA' : manifest.kind === 'duplicate-key' ? 'INT-MANIFEST-DUPLICATE-KEY' : 'INT-MANIFEST-UNPARSEABLE';
        return [
          ...findings,
          findingOf(this, id, MANIFEST, `manifest.json is invalid: ${manifest.issues.slice(0, 5).join('; ')}`, {
            manifestSha256: manifest.sha256,
            issues: manifest.issues.length,
          }),
        ];
      }
      case 'ok':
        return [...findings, ...fileFindings(context, manifest.value.files)];
    }
  },
};

const FINDING_BY_STATE = {
  missing: 'INT-FILE-MISSING',
  unreadable: 'INT-FILE-UNREADABLE',
  'size-mismatch': 'INT-FILE-SIZE-MISMATCH',
  'hash-mismatch': 'INT-FILE-HASH-MISMATCH',
  unlisted: 'INT-FILE-UNLISTED',
} as const;

function describe(record: FileRecord): string {
  switch (record.state) {
    case 'missing':
      return `${record.path} is listed in the manifest but missing from the bundle`;
    case 'unreadable':
      return `${record.path} could not be read: ${record.error ?? 'unknown error'}`;
    case 'size-mismatch':
      return `${record.path} is ${record.actualSize ?? '?'} bytes; the manifest says ${record.expectedSize ?? '?'}`;
    case 'hash-mismatch':
      return `${record.path} has sha256 ${record.actualSha256 ?? '?'}; the manifest says ${record.expectedSha256 ?? '?'}`;
    case 'unlisted':
      return `${record.path} is in the bundle but not listed in the manifest`;
    case 'ok':
      return `${record.path} matches the manifest`;
  }
}

function fileFindings(context: VerifyContext, listed: readonly ListedFile[]): FindingDraft[] {
  const records = compareFiles(listed, context.hashes, SELF_COVERED_PATHS);
  const findings: FindingDraft[] = [];
  let bytes = 0;
  for (const record of records) {
    if (record.state === 'ok') {
      bytes += record.actualSize ?? 0;
      continue;
    }
    findings.push(
      findingOf(integrityCheck, FINDING_BY_STATE[record.state], { kind: 'file', path: record.path }, describe(record), {
        expectedSha256: record.expectedSha256,
        actualSha256: record.actualSha256,
        expectedSize: record.expectedSize,
        actualSize: record.actualSize,
      }),
    );
  }
  if (findings.length === 0) {
    findings.push(
      findingOf(integrityCheck, 'INT-FILES-VERIFIED', { kind: 'bundle', ref: context.bundle.source }, `All ${listed.length} listed files match the manifest (${bytes} bytes hashed); no unlisted files`, {
        files: listed.length,
        bytes,
      }),
    );
  }
  return findings;
}
