// Tampered variants of the clean sample release, each named for the attack it carries and listed with
// the finding id that must catch it (STYLE §8). Derived in code from the clean sample, never stored.

import { createHash } from 'node:crypto';
import { readFileSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FindingId } from '../../shared/finding-ids.js';
import { deriveEd25519Key, type SigningKey } from '../../main/engine/sample/keys.js';
import { DEFAULT_SAMPLE_SEED, PIPELINE_KEY_NAME } from '../../main/engine/sample/generate-sample.js';
import { signManifest, signMessage } from '../../main/engine/sample/sign.js';
import { signManifestAsPipeline } from './tampered-signatures.js';

export interface TamperedSample {
  readonly name: string;
  /** Changes a copy of the clean bundle in place. */
  readonly apply: (bundleDir: string) => void;
  readonly expect: FindingId;
  /** When set, every failing finding must come from this check: the tamper breaks one rule only. */
  readonly onlyCheck?: string;
}

type ManifestJson = { files: { path: string; sha256: string; size: number }[]; [key: string]: unknown };

const pipelineKey = () => deriveEd25519Key(DEFAULT_SAMPLE_SEED, PIPELINE_KEY_NAME);

function readManifest(dir: string): ManifestJson {
  return JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as ManifestJson;
}

/**
 * Writes new manifest bytes and signs them as the genuine release pipeline (keyless, with the sample's own
 * Sigstore instance), so only the content is wrong; with `key`, signs with that key instead.
 */
function resign(dir: string, text: string, key?: SigningKey): void {
  const bytes = Buffer.from(text);
  writeFileSync(join(dir, 'manifest.json'), bytes);
  writeFileSync(join(dir, 'manifest.sigstore.json'), key === undefined ? signManifestAsPipeline(bytes) : signManifest(bytes, key));
}

function editSignatureBundle(dir: string, edit: (bundle: { messageSignature: { signature: string } } & Record<string, unknown>) => string): void {
  const path = join(dir, 'manifest.sigstore.json');
  writeFileSync(path, edit(JSON.parse(readFileSync(path, 'utf8')) as { messageSignature: { signature: string } }));
}

// Log tampering. Raw edits change the bytes of a log and nothing else (the attacker has no key); "rechained"
// edits rewrite the chain, the checkpoint and the manifest and re-sign them with the genuine pipeline key,
// as a faulty or dishonest writer would, so that only the content rule under test is broken.

type LogLine = Record<string, unknown> & { seq: number; time: string; prev: string };
type ManifestLog = { path: string; entries: number; genesis: string; head: string; checkpoint?: string };

const hex256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** The last segment of the inference log: rewriting it changes no later segment's genesis. */
function lastInferenceLog(dir: string): ManifestLog {
  const logs = (readManifest(dir) as unknown as { logs: ManifestLog[] }).logs.filter((l) => l.path.startsWith('logs/inference/'));
  return logs[logs.length - 1]!;
}

function readLogLines(dir: string, path: string): string[] {
  return readFileSync(join(dir, path), 'utf8').slice(0, -1).split('\n');
}

/** Changes the lines of the last inference segment without re-chaining or re-signing anything. */
function editLogLines(dir: string, edit: (lines: string[]) => string[]): void {
  const { path } = lastInferenceLog(dir);
  writeFileSync(join(dir, path), edit(readLogLines(dir, path)).map((l) => `${l}\n`).join(''));
}

/**
 * Rewrites the last inference segment from edited events with valid links, then its checkpoint and the
 * manifest, all re-signed with the pipeline key. `render` may serialise a line differently (e.g. broken).
 */
function rechainLog(dir: string, edit: (lines: LogLine[]) => LogLine[], render: (line: LogLine, index: number) => string = (line) => JSON.stringify(line)): void {
  const head = lastInferenceLog(dir);
  const edited = edit(readLogLines(dir, head.path).map((l) => JSON.parse(l) as LogLine));
  let prev = head.genesis;
  const out = edited.map((line, index) => {
    const text = render({ ...line, prev }, index);
    prev = hex256(text);
    return text;
  });
  const bytes = Buffer.from(out.map((l) => `${l}\n`).join(''));
  writeFileSync(join(dir, head.path), bytes);
  const key = pipelineKey();
  const manifest = readManifest(dir) as unknown as ManifestJson & { logs: ManifestLog[] };
  const entry = manifest.logs.find((l) => l.path === head.path)!;
  entry.entries = out.length;
  entry.head = prev;
  const cpPath = head.checkpoint!;
  const checkpoint = JSON.parse(readFileSync(join(dir, cpPath), 'utf8')) as Record<string, unknown>;
  const statement = Buffer.from(`${JSON.stringify({ ...checkpoint, entries: out.length, head: prev, lastTime: edited[edited.length - 1]!.time }, null, 2)}\n`);
  writeFileSync(join(dir, cpPath), statement);
  const sigPath = cpPath.replace(/\.json$/, '.sigstore.json');
  writeFileSync(join(dir, sigPath), signMessage(statement, key));
  for (const [path, content] of [[head.path, bytes], [cpPath, statement], [sigPath, readFileSync(join(dir, sigPath))]] as [string, Buffer][]) {
    const file = manifest.files.find((f) => f.path === path)!;
    file.sha256 = createHash('sha256').update(content).digest('hex');
    file.size = content.length;
  }
  resign(dir, JSON.stringify(manifest, null, 2));
}

/** Re-signs a checkpoint statement (as given) with `key`, without touching the manifest. */
function writeCheckpoint(dir: string, edit: (statement: string) => string, key = pipelineKey(), signOriginal = false): void {
  const cpPath = lastInferenceLog(dir).checkpoint!;
  const original = readFileSync(join(dir, cpPath));
  const statement = Buffer.from(edit(original.toString('utf8')));
  writeFileSync(join(dir, cpPath), statement);
  writeFileSync(join(dir, cpPath.replace(/\.json$/, '.sigstore.json')), signMessage(signOriginal ? original : statement, key));
}

export const TAMPERED_SAMPLES: readonly TamperedSample[] = [
  {
    name: 'manifest-duplicate-key',
    expect: 'INT-MANIFEST-DUPLICATE-KEY',
    apply: (dir) => {
      const text = readFileSync(join(dir, 'manifest.json'), 'utf8');
      resign(dir, text.replace('{', '{\n  "bundleId": "urn:uuid:00000000-0000-4000-8000-000000000000",'));
    },
  },
  {
    name: 'manifest-unknown-field',
    expect: 'INT-MANIFEST-SCHEMA',
    apply: (dir) => resign(dir, JSON.stringify({ ...readManifest(dir), approvedBy: 'nobody' }, null, 2)),
  },
  {
    name: 'manifest-lists-path-outside-bundle',
    expect: 'INT-MANIFEST-SCHEMA',
    apply: (dir) => {
      const manifest = readManifest(dir);
      manifest.files.push({ path: '../../etc/passwd', sha256: '0'.repeat(64), size: 1 });
      resign(dir, JSON.stringify(manifest, null, 2));
    },
  },
  {
    name: 'manifest-wrong-size-signed',
    expect: 'INT-FILE-SIZE-MISMATCH',
    apply: (dir) => {
      const manifest = readManifest(dir);
      manifest.files[0]!.size += 1;
      resign(dir, JSON.stringify(manifest, null, 2));
    },
  },
  {
    name: 'manifest-wrong-hash-signed',
    expect: 'INT-FILE-HASH-MISMATCH',
    apply: (dir) => {
      const manifest = readManifest(dir);
      manifest.files[0]!.sha256 = 'f'.repeat(64);
      resign(dir, JSON.stringify(manifest, null, 2));
    },
  },
  {
    name: 'manifest-signed-by-other-key',
    expect: 'SIG-MANIFEST-SIGNER-UNTRUSTED',
    apply: (dir) => resign(dir, readFileSync(join(dir, 'manifest.json'), 'utf8'), deriveEd25519Key('attacker', PIPELINE_KEY_NAME)),
  },
  {
    name: 'manifest-signed-by-other-key-claiming-pipeline-hint',
    expect: 'SIG-MANIFEST-SIGNER-UNTRUSTED',
    apply: (dir) => {
      const attacker = deriveEd25519Key('attacker', PIPELINE_KEY_NAME);
      resign(dir, readFileSync(join(dir, 'manifest.json'), 'utf8'), { ...attacker, hint: pipelineKey().hint });
    },
  },
  {
    name: 'manifest-changed-after-signing',
    expect: 'SIG-MANIFEST-SIGNATURE-INVALID',
    apply: (dir) => {
      const path = join(dir, 'manifest.json');
      writeFileSync(path, readFileSync(path, 'utf8').replace(/"createdAt": "\d{4}/, '"createdAt": "2027'));
    },
  },
  {
    name: 'manifest-signature-truncated-base64',
    expect: 'SIG-MANIFEST-SIGNATURE-INVALID',
    apply: (dir) =>
      editSignatureBundle(dir, (bundle) => {
        bundle.messageSignature.signature = bundle.messageSignature.signature.slice(0, 20);
        return JSON.stringify(bundle);
      }),
  },
  {
    name: 'manifest-signature-not-json',
    expect: 'SIG-MANIFEST-SIGNATURE-MALFORMED',
    apply: (dir) => writeFileSync(join(dir, 'manifest.sigstore.json'), '{"mediaType": '),
  },
  {
    name: 'manifest-signature-unknown-media-type',
    expect: 'SIG-MANIFEST-SIGNATURE-MALFORMED',
    apply: (dir) => editSignatureBundle(dir, (bundle) => JSON.stringify({ ...bundle, mediaType: 'application/vnd.dev.sigstore.bundle.v9+json' })),
  },
  {
    name: 'manifest-signature-duplicate-key',
    expect: 'SIG-MANIFEST-SIGNATURE-MALFORMED',
    apply: (dir) => editSignatureBundle(dir, (bundle) => JSON.stringify(bundle).replace('{', '{"mediaType":"x",')),
  },
  {
    name: 'manifest-signature-missing',
    expect: 'SIG-MANIFEST-SIGNATURE-MISSING',
    apply: (dir) => unlinkSync(join(dir, 'manifest.sigstore.json')),
  },
  {
    name: 'log-entry-modified',
    expect: 'LOG-ENTRY-MODIFIED',
    apply: (dir) => editLogLines(dir, (lines) => lines.map((l, i) => (i === 2 ? l.replace(/"correlation_id":"[^"]+"/, '"correlation_id":"another-request"') : l))),
  },
  {
    name: 'log-entry-deleted',
    expect: 'LOG-ENTRY-DELETED',
    apply: (dir) => editLogLines(dir, (lines) => lines.filter((_, i) => i !== 3)),
  },
  {
    name: 'log-entry-inserted',
    expect: 'LOG-ENTRY-INSERTED',
    apply: (dir) =>
      editLogLines(dir, (lines) => {
        const forged = JSON.parse(lines[2]!) as LogLine;
        const injected = JSON.stringify({ ...forged, prev: hex256(lines[2]!), correlation_id: 'injected-request' });
        return [...lines.slice(0, 3), injected, ...lines.slice(3)];
      }),
  },
  {
    name: 'log-entries-reordered',
    expect: 'LOG-ENTRY-REORDERED',
    apply: (dir) => editLogLines(dir, (lines) => [...lines.slice(0, 2), lines[3]!, lines[2]!, ...lines.slice(4)]),
  },
  {
    name: 'log-entry-duplicated',
    expect: 'LOG-ENTRY-DUPLICATED',
    apply: (dir) => editLogLines(dir, (lines) => [...lines.slice(0, 3), lines[2]!, ...lines.slice(3)]),
  },
  {
    name: 'log-tail-truncated',
    expect: 'LOG-TRUNCATED',
    apply: (dir) => editLogLines(dir, (lines) => lines.slice(0, -2)),
  },
  {
    name: 'log-entries-appended',
    expect: 'LOG-EXTENDED',
    apply: (dir) =>
      editLogLines(dir, (lines) => {
        const last = JSON.parse(lines[lines.length - 1]!) as LogLine;
        return [...lines, JSON.stringify({ ...last, seq: last.seq + 1, prev: hex256(lines[lines.length - 1]!), correlation_id: 'appended' })];
      }),
  },
  {
    name: 'log-last-entry-replaced',
    expect: 'LOG-HEAD-MISMATCH',
    apply: (dir) => editLogLines(dir, (lines) => lines.map((l, i) => (i === lines.length - 1 ? l.replace(/"correlation_id":"[^"]+"/, '"correlation_id":"replaced"') : l))),
  },
  {
    name: 'log-time-goes-backwards-rechained',
    expect: 'LOG-TIME-BACKWARDS',
    apply: (dir) => rechainLog(dir, (lines) => lines.map((l, i) => (i === 3 ? { ...l, time: lines[0]!.time.replace(/T\d\d/, 'T00').replace(/:\d\d\./, ':00.') } : l))),
  },
  {
    name: 'log-seq-gap-rechained',
    expect: 'LOG-SEQ-GAP',
    apply: (dir) => rechainLog(dir, (lines) => lines.map((l, i) => (i >= 4 ? { ...l, seq: l.seq + 2 } : l))),
  },
  {
    name: 'log-line-without-envelope-rechained',
    expect: 'LOG-LINE-MALFORMED',
    apply: (dir) => rechainLog(dir, (lines) => lines, (line, i) => (i === 2 ? JSON.stringify({ time: line.time, seq: line.seq, prev: line.prev }) : JSON.stringify(line))),
  },
  {
    name: 'log-line-not-json-rechained',
    expect: 'LOG-EVENT-NOT-JSON',
    apply: (dir) => rechainLog(dir, (lines) => lines, (line, i) => (i === 2 ? `${JSON.stringify(line).slice(0, -1)},}` : JSON.stringify(line))),
  },
  {
    name: 'log-line-duplicate-key-rechained',
    expect: 'LOG-EVENT-DUPLICATE-KEY',
    apply: (dir) => rechainLog(dir, (lines) => lines, (line, i) => (i === 2 ? `${JSON.stringify(line).slice(0, -1)},"seq":${line.seq + 1000}}` : JSON.stringify(line))),
  },
  {
    name: 'log-event-names-other-model-rechained',
    expect: 'LOG-EVENT-MODEL-MISMATCH',
    apply: (dir) =>
      rechainLog(dir, (lines) => {
        const i = lines.findIndex((l) => l['type'] === 'inference');
        return lines.map((l, k) => (k === i ? { ...l, model: { ...(l['model'] as object), version: '9.9.9' } } : l));
      }),
  },
  {
    name: 'log-inference-without-confidence-rechained',
    expect: 'LOG-EVENT-FIELD-MISSING',
    apply: (dir) =>
      rechainLog(dir, (lines) => {
        const i = lines.findIndex((l) => l['type'] === 'inference');
        return lines.map((l, k) => (k === i ? Object.fromEntries(Object.entries(l).filter(([f]) => f !== 'confidence')) as LogLine : l));
      }),
  },
  {
    name: 'log-checkpoint-signed-by-other-key',
    expect: 'LOG-CHECKPOINT-SIGNER-UNTRUSTED',
    apply: (dir) => writeCheckpoint(dir, (text) => text, deriveEd25519Key('attacker', PIPELINE_KEY_NAME)),
  },
  {
    name: 'log-checkpoint-changed-after-signing',
    expect: 'LOG-CHECKPOINT-SIGNATURE-INVALID',
    apply: (dir) => writeCheckpoint(dir, (text) => text.replace(/"entries": \d+/, '"entries": 1'), pipelineKey(), true),
  },
  {
    name: 'log-truncated-manifest-resigned-checkpoint-kept',
    expect: 'LOG-CHECKPOINT-MISMATCH',
    apply: (dir) => {
      const head = lastInferenceLog(dir);
      const lines = readLogLines(dir, head.path).slice(0, -2);
      const bytes = Buffer.from(lines.map((l) => `${l}\n`).join(''));
      writeFileSync(join(dir, head.path), bytes);
      const manifest = readManifest(dir) as unknown as ManifestJson & { logs: ManifestLog[] };
      Object.assign(manifest.logs.find((l) => l.path === head.path)!, { entries: lines.length, head: hex256(lines[lines.length - 1]!) });
      Object.assign(manifest.files.find((f) => f.path === head.path)!, { sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length });
      resign(dir, JSON.stringify(manifest, null, 2));
    },
  },
  {
    name: 'log-segment-removed-manifest-resigned',
    expect: 'LOG-CHECKPOINT-CHAIN-BROKEN',
    apply: (dir) => {
      const manifest = readManifest(dir) as unknown as ManifestJson & { logs: ManifestLog[] };
      const victim = manifest.logs.filter((l) => l.path.startsWith('logs/inference/'))[2]!;
      const gone = [victim.path, victim.checkpoint!, victim.checkpoint!.replace(/\.json$/, '.sigstore.json')];
      for (const path of gone) unlinkSync(join(dir, path));
      manifest.logs = manifest.logs.filter((l) => l !== victim);
      manifest.files = manifest.files.filter((f) => !gone.includes(f.path));
      resign(dir, JSON.stringify(manifest, null, 2));
    },
  },
  {
    name: 'symlink-in-bundle',
    expect: 'INT-FILE-NOT-REGULAR',
    apply: (dir) => symlinkSync('/etc/passwd', join(dir, 'records', 'passwd.json')),
  },
  // SBOM: the SBOM is edited, its manifest entry updated and the manifest re-signed, so only the SBOM rule breaks.
  {
    name: 'sbom-model-hash-differs',
    expect: 'SBOM-MODEL-HASH-MISMATCH',
    apply: (dir) =>
      editSbom(dir, (bom) => {
        const model = (bom['metadata'] as SbomJson)['component'] as SbomJson;
        (model['hashes'] as SbomJson[])[0]!['content'] = 'e'.repeat(64);
      }),
  },
  {
    name: 'sbom-model-not-listed',
    expect: 'SBOM-MODEL-NOT-LISTED',
    apply: (dir) =>
      editSbom(dir, (bom) => {
        const model = (bom['metadata'] as SbomJson)['component'] as SbomJson;
        model['name'] = 'some-other-model';
        (model['hashes'] as SbomJson[])[0]!['content'] = 'e'.repeat(64);
      }),
  },
  {
    name: 'sbom-schema-invalid',
    expect: 'SBOM-SCHEMA-INVALID',
    apply: (dir) =>
      editSbom(dir, (bom) => {
        (bom['components'] as SbomJson[])[0]!['type'] = 'spaceship';
      }),
  },
  {
    name: 'sbom-dangling-dependency-ref',
    expect: 'SBOM-REFERENCE-DANGLING',
    apply: (dir) =>
      editSbom(dir, (bom) => {
        (bom['dependencies'] as SbomJson[]).push({ ref: 'pkg:pypi/not-in-this-bom@1.0.0', dependsOn: [] });
      }),
  },
  {
    name: 'sbom-duplicate-key',
    expect: 'SBOM-DUPLICATE-KEY',
    apply: (dir) => rewriteListedFile(dir, SAMPLE_SBOM_PATH, readFileSync(join(dir, SAMPLE_SBOM_PATH), 'utf8').replace('{', '{\n  "specVersion": "1.2",')),
  },
  {
    name: 'sbom-xml-with-external-entity',
    expect: 'SBOM-XML-UNSAFE',
    apply: (dir) =>
      rewriteListedFile(
        dir,
        'sbom/extra.cdx.xml',
        '<?xml version="1.0"?>\n<!DOCTYPE bom [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<bom xmlns="http://cyclonedx.org/schema/bom/1.6" version="1"><components><component type="library"><name>&xxe;</name></component></components></bom>\n',
      ),
  },
  {
    name: 'sbom-missing',
    expect: 'SBOM-MISSING',
    apply: (dir) => {
      unlinkSync(join(dir, SAMPLE_SBOM_PATH));
      const manifest = readManifest(dir);
      manifest.files = manifest.files.filter((f) => f.path !== SAMPLE_SBOM_PATH);
      resign(dir, JSON.stringify(manifest, null, 2));
    },
  },
];

const SAMPLE_SBOM_PATH = 'sbom/model.cdx.json';
type SbomJson = Record<string, unknown>;

/** Writes a file of the bundle, lists it in the manifest with its new sha256 and size, and re-signs. */
function rewriteListedFile(dir: string, path: string, text: string): void {
  const bytes = Buffer.from(text);
  writeFileSync(join(dir, path), bytes);
  const manifest = readManifest(dir);
  const entry = { path, sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length };
  const index = manifest.files.findIndex((f) => f.path === path);
  if (index < 0) manifest.files.push(entry);
  else manifest.files[index] = { ...manifest.files[index], ...entry };
  resign(dir, JSON.stringify(manifest, null, 2));
}

function editSbom(dir: string, edit: (bom: SbomJson) => void): void {
  const bom = JSON.parse(readFileSync(join(dir, SAMPLE_SBOM_PATH), 'utf8')) as SbomJson;
  edit(bom);
  rewriteListedFile(dir, SAMPLE_SBOM_PATH, `${JSON.stringify(bom, null, 2)}\n`);
}

/** Rewrites one file, updates its manifest entry and re-signs, so that only the record's own rule breaks. */
function replaceListedFile(dir: string, path: string, bytes: Buffer | string): void {
  const data = Buffer.from(bytes);
  writeFileSync(join(dir, path), data);
  const manifest = readManifest(dir);
  const entry = manifest.files.find((f) => f.path === path);
  if (entry === undefined) throw new Error(`${path} is not listed`);
  entry.sha256 = createHash('sha256').update(data).digest('hex');
  entry.size = data.length;
  resign(dir, `${JSON.stringify(manifest, null, 2)}\n`);
}

export const TAMPERED_RECORD_SAMPLES: readonly TamperedSample[] = [
  {
    name: 'record-missing-risk-assessment',
    onlyCheck: 'REC',
    expect: 'REC-MISSING',
    apply: (dir) => {
      unlinkSync(join(dir, 'records', 'risk-assessment.json'));
      const manifest = readManifest(dir);
      manifest.files = manifest.files.filter((f) => f.path !== 'records/risk-assessment.json');
      resign(dir, `${JSON.stringify(manifest, null, 2)}\n`);
    },
  },
  {
    name: 'record-build-without-commit',
    onlyCheck: 'REC',
    expect: 'REC-SCHEMA',
    apply: (dir) => {
      const build = JSON.parse(readFileSync(join(dir, 'records', 'build.json'), 'utf8')) as { source: Record<string, unknown> };
      delete build.source['commit'];
      replaceListedFile(dir, 'records/build.json', `${JSON.stringify(build, null, 2)}\n`);
    },
  },
  {
    name: 'record-deployment-duplicate-key',
    onlyCheck: 'REC',
    expect: 'REC-DUPLICATE-KEY',
    apply: (dir) => {
      const text = readFileSync(join(dir, 'records', 'deployment.json'), 'utf8');
      replaceListedFile(dir, 'records/deployment.json', text.replace('{', '{\n  "environment": "staging",'));
    },
  },
  {
    name: 'compliance-yaml-unknown-risk-tier',
    onlyCheck: 'REC',
    expect: 'REC-SCHEMA',
    apply: (dir) => {
      const text = readFileSync(join(dir, 'compliance.yaml'), 'utf8');
      replaceListedFile(dir, 'compliance.yaml', text.replace(/^risk_tier: .*$/m, 'risk_tier: negligible'));
    },
  },
];

/** Re-signs an edited manifest as the genuine pipeline, for tampered samples defined in other helpers. */
export function resignManifest(dir: string, text: string): void {
  resign(dir, text);
}

// Signature and attestation attacks (SIG, SIG-IMAGE, ATT), kept beside the sample's keyless signing helpers.
export { TAMPERED_SIGNATURE_SAMPLES, type TamperedSignatureSample } from './tampered-signatures.js';
