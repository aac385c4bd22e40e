// Tampered variants of the clean sample release, each named for the attack it carries and listed with
// the finding id that must catch it (STYLE §8). Derived in code from the clean sample, never stored.

import { createHash } from 'node:crypto';
import { readFileSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FindingId } from '../../shared/finding-ids.js';
import { deriveEd25519Key } from '../../main/engine/sample/keys.js';
import { DEFAULT_SAMPLE_SEED, PIPELINE_KEY_NAME } from '../../main/engine/sample/generate-sample.js';
import { signManifest } from '../../main/engine/sample/sign.js';

export interface TamperedSample {
  readonly name: string;
  /** Changes a copy of the clean bundle in place. */
  readonly apply: (bundleDir: string) => void;
  readonly expect: FindingId;
}

type ManifestJson = { files: { path: string; sha256: string; size: number }[]; [key: string]: unknown };

const pipelineKey = () => deriveEd25519Key(DEFAULT_SAMPLE_SEED, PIPELINE_KEY_NAME);

function readManifest(dir: string): ManifestJson {
  return JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as ManifestJson;
}

/** Writes new manifest bytes and signs them with the genuine pipeline key: only the content is wrong. */
function resign(dir: string, text: string, key = pipelineKey()): void {
  const bytes = Buffer.from(text);
  writeFileSync(join(dir, 'manifest.json'), bytes);
  writeFileSync(join(dir, 'manifest.sigstore.json'), signManifest(bytes, key));
}

function editSignatureBundle(dir: string, edit: (bundle: { messageSignature: { signature: string } } & Record<string, unknown>) => string): void {
  const path = join(dir, 'manifest.sigstore.json');
  writeFileSync(path, edit(JSON.parse(readFileSync(path, 'utf8')) as { messageSignature: { signature: string } }));
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
    expect: 'SIG-MANIFEST-SIGNATURE-INVALID',
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
