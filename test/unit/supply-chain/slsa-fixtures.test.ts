// Third-party SLSA provenance (slsa-verifier test data) parses into Assay's model: v0.2 from a DSSE
// `.intoto.jsonl`, v1 from a Sigstore bundle; and the content rules decide on a parsed predicate.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseDsseJsonLines } from '../../../main/engine/formats/dsse-envelope.js';
import { isImageDependency, parseSlsaProvenance, pinnedImageDigest, SlsaFormatError } from '../../../main/engine/formats/slsa.js';
import { parseSignatureBundle } from '../../../main/engine/sigstore/load-bundle.js';
import { parseStatement } from '../../../main/engine/sigstore/in-toto.js';

const FIXTURES = join(process.cwd(), 'test', 'fixtures', 'provenance');

test('SLSA v0.2 in a DSSE .intoto.jsonl parses: builder, build type, source from configSource and materials', () => {
  const [envelope] = parseDsseJsonLines(readFileSync(join(FIXTURES, 'slsa-v0.2-generic.intoto.jsonl')));
  const statement = parseStatement(envelope!.payload);
  const provenance = parseSlsaProvenance(statement.predicateType, statement.predicate);
  assert.equal(provenance.version, 'v0.2');
  assert.equal(provenance.builderId, 'https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@refs/tags/v1.10.0');
  assert.equal(provenance.buildType, 'https://github.com/slsa-framework/slsa-github-generator/generic@v1');
  assert.deepEqual([...new Set(provenance.sourceCommits.map((c) => c.commit))], ['d37a7f740ee7404914456f24dcd90e865a0509e8']);
  assert.equal(provenance.invocationId, '8373486918-1');
  assert.equal(statement.subjects[0]!.digest['sha256'], '2892146b063a94cb4a4318c0e98d38af12dcf2b1e29237486b58463b59607bbd');
});

test('SLSA v1 in a Sigstore bundle parses: resolvedDependencies give the commit', () => {
  const loaded = parseSignatureBundle(readFileSync(join(FIXTURES, 'slsa-v1-delegator.sigstore.json')));
  assert.equal(loaded.bundle.content.$case, 'dsseEnvelope');
  const payload = loaded.bundle.content.$case === 'dsseEnvelope' ? loaded.bundle.content.dsseEnvelope.payload : Buffer.alloc(0);
  const statement = parseStatement(payload);
  const provenance = parseSlsaProvenance(statement.predicateType, statement.predicate);
  assert.equal(provenance.version, 'v1');
  assert.equal(provenance.builderId, 'https://github.com/slsa-framework/example-trw/.github/workflows/builder_high-perms_slsa3.yml@refs/tags/v1.10.0');
  assert.deepEqual(provenance.sourceCommits.map((c) => c.commit), ['4e383a8215c979d61c6afd2e125cb2f559090adf']);
  assert.equal(provenance.invocationId, 'https://github.com/slsa-framework/example-package/actions/runs/8374570599/attempts/1');
});

test('a predicate that says v1.0 is read as v1; missing required fields are refused with the path', () => {
  const predicate = { buildDefinition: { buildType: 'https://example.eu/t', externalParameters: {} }, runDetails: { builder: { id: 'https://example.eu/b' } } };
  assert.equal(parseSlsaProvenance('https://slsa.dev/provenance/v1.0', predicate).version, 'v1');
  assert.throws(() => parseSlsaProvenance('https://slsa.dev/provenance/v1', { buildDefinition: { externalParameters: {} }, runDetails: { builder: { id: 'x' } } }), (e: Error) => e instanceof SlsaFormatError && /buildType/.test(e.message));
  assert.throws(() => parseSlsaProvenance('https://slsa.dev/provenance/v0.2', { buildType: 'x' }), /builder/);
});

test('images are pinned by a digest field or @sha256 in the URI, never by tag alone', () => {
  const dep = (uri: string, digest: Record<string, string> = {}) => ({ uri, name: null, digest, from: 'test' });
  const hex = 'a'.repeat(64);
  assert.ok(isImageDependency(dep('pkg:docker/ml/builder@latest')));
  assert.equal(pinnedImageDigest(dep('pkg:docker/ml/builder@latest')), null);
  assert.equal(pinnedImageDigest(dep(`pkg:docker/ml/builder@sha256%3A${hex}`)), hex);
  assert.equal(pinnedImageDigest(dep('docker://registry.eu/builder:3', { sha256: hex })), hex);
  assert.equal(pinnedImageDigest(dep(`oci://registry.eu/builder@sha256:${hex}`, { sha256: 'b'.repeat(64) })), null);
});
