// Tampered variants of the clean sample for the supply-chain rules (SRC, PROV, LINK), each named for the
// attack it carries and listed with the finding id that must catch it. Every edited file is re-listed in
// the manifest and the manifest re-signed as the pipeline, and signed evidence is re-signed with the
// genuine key unless the attack is the signature itself, so that only the rule under test breaks.

import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_SAMPLE_SEED, PIPELINE_KEY_NAME } from '../../main/engine/sample/generate-sample.js';
import { deriveEd25519Key } from '../../main/engine/sample/keys.js';
import { buildScenario } from '../../main/engine/sample/scenario.js';
import { SAMPLE_SCAN_FILES } from '../../main/engine/sample/scans.js';
import { PROVENANCE_FILE, SOURCE_COMMIT_FILE, signedLink, signedSourceCommit, signStatementBundle } from '../../main/engine/sample/supply-chain.js';
import { commitObjectId, parseCommit } from '../../main/engine/formats/git-commit.js';
import { resignManifest, type TamperedSample } from './tampered-samples.js';

type ManifestJson = { files: { path: string; sha256: string; size: number; mediaType?: string }[]; [key: string]: unknown };
type Statement = { subject: { name: string; digest: { sha256: string } }[]; predicate: { buildDefinition: { resolvedDependencies: { uri?: string; name?: string; digest: Record<string, string> }[] }; runDetails: { builder: { id: string } } } };

const pipelineKey = () => deriveEd25519Key(DEFAULT_SAMPLE_SEED, PIPELINE_KEY_NAME);
const attackerKey = () => deriveEd25519Key('attacker', PIPELINE_KEY_NAME);

function manifestOf(dir: string): ManifestJson {
  return JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as ManifestJson;
}

/** Writes files (null removes one), re-lists them in the manifest and re-signs it. */
export function rewrite(dir: string, changes: Readonly<Record<string, Buffer | string | null>>): void {
  const manifest = manifestOf(dir);
  for (const [path, content] of Object.entries(changes)) {
    manifest.files = manifest.files.filter((f) => f.path !== path || content !== null);
    if (content === null) {
      rmSync(join(dir, path));
      continue;
    }
    const bytes = Buffer.from(content);
    writeFileSync(join(dir, path), bytes);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const entry = manifest.files.find((f) => f.path === path);
    if (entry === undefined) manifest.files.push({ path, sha256, size: bytes.length });
    else Object.assign(entry, { sha256, size: bytes.length });
  }
  manifest.files.sort((a, b) => (a.path < b.path ? -1 : 1));
  resignManifest(dir, JSON.stringify(manifest, null, 2));
}

function readStatement(dir: string): Statement {
  const bundle = JSON.parse(readFileSync(join(dir, PROVENANCE_FILE), 'utf8')) as { dsseEnvelope: { payload: string } };
  return JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString('utf8')) as Statement;
}

/** Edits the provenance statement and signs it again (with the genuine key unless another is given). */
function editProvenance(dir: string, edit: (statement: Statement) => void, key = pipelineKey()): Record<string, string> {
  const statement = readStatement(dir);
  edit(statement);
  return { [PROVENANCE_FILE]: signStatementBundle(Buffer.from(JSON.stringify(statement)), key) };
}

const isLockfile = (d: { name?: string }) => d.name !== undefined && d.name.startsWith('requirements/');

/** Replaces the source commit object and every record of its id (build.json, provenance), re-signed. */
function replaceCommit(dir: string, bytes: Buffer): void {
  const oldId = commitObjectId(readFileSync(join(dir, SOURCE_COMMIT_FILE)), 'sha1');
  const newId = commitObjectId(bytes, 'sha1');
  const build = readFileSync(join(dir, 'records/build.json'), 'utf8').replaceAll(oldId, newId);
  const provenance = editProvenance(dir, (s) => {
    for (const d of s.predicate.buildDefinition.resolvedDependencies) if (d.digest['gitCommit'] === oldId) d.digest['gitCommit'] = newId;
  });
  // the source scans name the commit they scanned: they follow it, so that only SRC sees the change
  const scans = Object.fromEntries([SAMPLE_SCAN_FILES.staticAnalysis, SAMPLE_SCAN_FILES.iac].map((path) => [path, readFileSync(join(dir, path), 'utf8').replaceAll(oldId, newId)]));
  rewrite(dir, { [SOURCE_COMMIT_FILE]: bytes, 'records/build.json': build, ...provenance, ...scans });
}

function sampleCommitOptions() {
  const scenario = buildScenario(DEFAULT_SAMPLE_SEED, Date.parse('2026-10-01T09:00:00Z'));
  const commit = parseCommit(scenario.sourceCommitObject.bytes, 'sha1');
  return { scenario, commit };
}

function linkPath(dir: string): string {
  return manifestOf(dir).files.find((f) => f.path.startsWith('links/'))!.path;
}

function relink(dir: string, edit: (products: { path: string; sha256: string; size: number }[]) => void, key = pipelineKey()): void {
  const path = linkPath(dir);
  const link = JSON.parse(readFileSync(join(dir, path), 'utf8')) as { signed: { products: Record<string, { sha256: string }> } };
  const products = Object.entries(link.signed.products).map(([p, d]) => ({ path: p, sha256: d.sha256, size: 0 }));
  edit(products);
  const signed = signedLink('package', ['make', 'package'], [], products, key);
  rewrite(dir, { [path]: null, [signed.name]: signed.text });
}

export const TAMPERED_SUPPLY_CHAIN_SAMPLES: readonly TamperedSample[] = [
  // SRC
  { name: 'source-commit-missing', expect: 'SRC-COMMIT-MISSING', apply: (dir) => rewrite(dir, { [SOURCE_COMMIT_FILE]: null }) },
  {
    name: 'source-commit-object-edited',
    expect: 'SRC-COMMIT-ID-MISMATCH',
    apply: (dir) => rewrite(dir, { [SOURCE_COMMIT_FILE]: readFileSync(join(dir, SOURCE_COMMIT_FILE), 'utf8').replace('Release credit-risk-classifier', 'Release credit-risk-classifer') }),
  },
  {
    name: 'source-commit-edited-and-id-recorded',
    expect: 'SRC-SIGNATURE-INVALID',
    apply: (dir) => replaceCommit(dir, Buffer.from(readFileSync(join(dir, SOURCE_COMMIT_FILE), 'utf8').replace('Release credit-risk-classifier', 'Release credit-risk-classifer'))),
  },
  {
    name: 'source-commit-unsigned',
    expect: 'SRC-COMMIT-UNSIGNED',
    apply: (dir) => replaceCommit(dir, parseCommit(readFileSync(join(dir, SOURCE_COMMIT_FILE)), 'sha1').payload),
  },
  {
    name: 'source-commit-signed-by-other-developer',
    expect: 'SRC-SIGNER-UNTRUSTED',
    apply: (dir) => {
      const { scenario, commit } = sampleCommitOptions();
      const stranger = scenario.people.reviewers[0]!;
      replaceCommit(dir, signedSourceCommit({ seed: DEFAULT_SAMPLE_SEED, tree: commit.tree, parent: commit.parents[0]!, author: stranger, timeMs: commit.author.time * 1000, message: commit.message.trimEnd() }).bytes);
    },
  },
  // PROV
  { name: 'provenance-missing', expect: 'PROV-MISSING', apply: (dir) => rewrite(dir, { [PROVENANCE_FILE]: null }) },
  {
    name: 'provenance-payload-edited-unsigned',
    expect: 'PROV-SIGNATURE-INVALID',
    apply: (dir) => {
      const bundle = JSON.parse(readFileSync(join(dir, PROVENANCE_FILE), 'utf8')) as { dsseEnvelope: { payload: string } };
      const statement = readStatement(dir);
      statement.predicate.runDetails.builder.id = 'https://evil.example/builder';
      bundle.dsseEnvelope.payload = Buffer.from(JSON.stringify(statement)).toString('base64');
      rewrite(dir, { [PROVENANCE_FILE]: `${JSON.stringify(bundle, null, 2)}\n` });
    },
  },
  { name: 'provenance-signed-by-other-key', expect: 'PROV-SIGNER-UNTRUSTED', apply: (dir) => rewrite(dir, editProvenance(dir, () => undefined, attackerKey())) },
  {
    name: 'provenance-for-other-image',
    expect: 'PROV-SUBJECT-MISMATCH',
    apply: (dir) => rewrite(dir, editProvenance(dir, (s) => (s.subject[0]!.digest.sha256 = 'e'.repeat(64)))),
  },
  {
    name: 'provenance-by-untrusted-builder',
    expect: 'PROV-BUILDER-UNTRUSTED',
    apply: (dir) => rewrite(dir, editProvenance(dir, (s) => (s.predicate.runDetails.builder.id = 'https://ci.example.org/shared-runner@v1'))),
  },
  {
    name: 'provenance-from-other-commit',
    expect: 'PROV-SOURCE-MISMATCH',
    apply: (dir) => rewrite(dir, editProvenance(dir, (s) => (s.predicate.buildDefinition.resolvedDependencies[0]!.digest['gitCommit'] = '0123456789abcdef0123456789abcdef01234567'))),
  },
  {
    name: 'provenance-without-source',
    expect: 'PROV-SOURCE-MISSING',
    apply: (dir) => rewrite(dir, editProvenance(dir, (s) => (s.predicate.buildDefinition.resolvedDependencies = s.predicate.buildDefinition.resolvedDependencies.filter((d) => d.digest['gitCommit'] === undefined)))),
  },
  {
    name: 'provenance-base-image-by-tag',
    expect: 'PROV-BASE-IMAGE-NOT-PINNED',
    apply: (dir) =>
      rewrite(
        dir,
        editProvenance(dir, (s) => {
          const image = s.predicate.buildDefinition.resolvedDependencies.find((d) => d.uri?.startsWith('pkg:docker/') === true)!;
          image.uri = image.uri!.replace(/@sha256%3A[0-9a-f]{64}/, '@latest');
          image.digest = {};
        }),
      ),
  },
  {
    name: 'provenance-lockfile-missing',
    expect: 'PROV-LOCKFILE-MISSING',
    apply: (dir) => rewrite(dir, editProvenance(dir, (s) => (s.predicate.buildDefinition.resolvedDependencies = s.predicate.buildDefinition.resolvedDependencies.filter((d) => !isLockfile(d))))),
  },
  {
    name: 'provenance-lockfile-hash-differs',
    expect: 'PROV-LOCKFILE-MISMATCH',
    apply: (dir) =>
      rewrite(
        dir,
        editProvenance(dir, (s) => {
          s.predicate.buildDefinition.resolvedDependencies.find(isLockfile)!.digest['sha256'] = 'a'.repeat(64);
        }),
      ),
  },
  // LINK
  {
    name: 'link-product-edited-unsigned',
    expect: 'LINK-SIGNATURE-INVALID',
    apply: (dir) => {
      const path = linkPath(dir);
      const text = readFileSync(join(dir, path), 'utf8');
      const sha = /"sha256": "([0-9a-f]{64})"/.exec(text)![1]!;
      rewrite(dir, { [path]: text.replace(sha, 'b'.repeat(64)) });
    },
  },
  { name: 'link-product-differs-resigned', expect: 'LINK-PRODUCT-MISMATCH', apply: (dir) => relink(dir, (products) => (products[0]!.sha256 = 'c'.repeat(64))) },
  { name: 'link-signed-by-other-key', expect: 'LINK-SIGNER-UNTRUSTED', apply: (dir) => relink(dir, () => undefined, attackerKey()) },
  { name: 'link-missing', expect: 'LINK-STEP-MISSING', apply: (dir) => rewrite(dir, { [linkPath(dir)]: null }) },
];
