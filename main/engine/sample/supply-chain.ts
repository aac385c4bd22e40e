// The sample's supply-chain evidence, consistent with the scenario: the raw source commit object signed
// by the ML engineer's SSH key the way `git commit -S` (gpg.format=ssh) signs it, SLSA v1 provenance of
// the serving image signed by the pipeline key (DSSE in a Sigstore bundle v0.3), and an in-toto link
// for the packaging step signed over canonical JSON.

import { sign } from 'node:crypto';
import { bundleToJSON, toDSSEBundle, assertBundle, bundleFromJSON } from '@sigstore/bundle';
import { canonicalJson } from '../formats/canonical-json.js';
import { commitObjectId } from '../formats/git-commit.js';
import { securesystemslibKeyIds } from '../formats/in-toto-link.js';
import { sshsigSignedData } from '../formats/ssh-signature.js';
import { SLSA_V1 } from '../formats/slsa.js';
import { IN_TOTO_PAYLOAD_TYPE } from '../sigstore/in-toto.js';
import type { BuildRecord } from '../schemas/records.js';
import type { ManifestFileEntry } from '../schemas/manifest.js';
import { deriveEd25519Key, type SigningKey } from './keys.js';
import type { Person } from './scenario.js';
import type { BundleWriter } from './bundle-writer.js';

export const SOURCE_COMMIT_FILE = 'source/commit.git';
export const PROVENANCE_FILE = 'attestations/provenance.slsa.sigstore.json';
export const PACKAGE_STEP = 'package';
export const SAMPLE_BUILDER_ID = 'https://git.nordlicht-bank.example/ci/runners/ml-release-builder@v3';
export const SAMPLE_BUILD_TYPE = 'https://git.nordlicht-bank.example/ci/build-types/gitlab-ml-release@v1';

/** The developer key's trust-store name: the local part of the engineer's address. */
export function developerKeyName(person: Person): string {
  return person.id.split('@')[0]!.replace(/[^a-z0-9._-]/g, '-');
}

export function developerKey(seed: string, person: Person): SigningKey {
  return deriveEd25519Key(seed, `developer:${person.id}`);
}

function sshString(bytes: Buffer | string): Buffer {
  const b = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(b.length);
  return Buffer.concat([length, b]);
}

function sshEd25519Blob(key: SigningKey): Buffer {
  return Buffer.concat([sshString('ssh-ed25519'), sshString(key.publicKey.export({ type: 'spki', format: 'der' }).subarray(-32))]);
}

/** `ssh-ed25519 <base64> <comment>`, as the developer's .pub file holds it. */
export function sshPublicKeyLine(key: SigningKey, comment: string): string {
  return `ssh-ed25519 ${sshEd25519Blob(key).toString('base64')} ${comment}\n`;
}

/** An armored SSHSIG signature (PROTOCOL.sshsig) over `message` in `namespace`, as ssh-keygen -Y sign writes it. */
export function sshSign(key: SigningKey, namespace: string, message: Buffer): string {
  const signature = sign(null, sshsigSignedData(namespace, 'sha512', message), key.privateKey);
  const blob = Buffer.concat([
    Buffer.from('SSHSIG'),
    Buffer.from([0, 0, 0, 1]),
    sshString(sshEd25519Blob(key)),
    sshString(namespace),
    sshString(''),
    sshString('sha512'),
    sshString(Buffer.concat([sshString('ssh-ed25519'), sshString(signature)])),
  ]);
  const lines = blob.toString('base64').match(/.{1,70}/g)!;
  return ['-----BEGIN SSH SIGNATURE-----', ...lines, '-----END SSH SIGNATURE-----'].join('\n');
}

export interface SignedCommit {
  readonly id: string;
  readonly bytes: Buffer;
}

/** A commit object signed like `git commit -S` with gpg.format=ssh: the gpgsig header follows committer. */
export function signedSourceCommit(options: { seed: string; tree: string; parent: string; author: Person; timeMs: number; message: string }): SignedCommit {
  const who = `${options.author.name} <${options.author.id}> ${Math.floor(options.timeMs / 1000)} +0000`;
  const headers = `tree ${options.tree}\nparent ${options.parent}\nauthor ${who}\ncommitter ${who}\n`;
  const payload = Buffer.from(`${headers}\n${options.message}\n`);
  const armored = sshSign(developerKey(options.seed, options.author), 'git', payload);
  const bytes = Buffer.from(`${headers}gpgsig ${armored.split('\n').join('\n ')}\n\n${options.message}\n`);
  return { id: commitObjectId(bytes, 'sha1'), bytes };
}

/** SLSA v1 provenance of the serving image, from the build record. */
export function provenanceStatement(build: BuildRecord, startedOn: string, finishedOn: string): Buffer {
  const image = build.outputs.image;
  const statement = {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: image.name, digest: { sha256: image.digest.slice('sha256:'.length) } }],
    predicateType: SLSA_V1,
    predicate: {
      buildDefinition: {
        buildType: SAMPLE_BUILD_TYPE,
        externalParameters: { source: { repository: build.source.repo, ref: build.source.ref }, pipeline: { path: build.pipelineConfig.path, version: build.pipelineConfig.version } },
        internalParameters: { ciSystem: build.ci.system, runId: build.ci.runId },
        resolvedDependencies: [
          { uri: `git+${build.source.repo}@${build.source.ref}`, digest: { gitCommit: build.source.commit } },
          { uri: `pkg:docker/${build.builder.name.replace(/^[^/]+\//, '')}@${build.builder.digest.replace(':', '%3A')}?repository_url=${build.builder.name.split('/')[0]!}`, digest: { sha256: build.builder.digest.slice('sha256:'.length) } },
          { uri: `git+${build.source.repo}@${build.source.ref}#${build.pipelineConfig.path}`, name: build.pipelineConfig.path, digest: { sha256: build.pipelineConfig.sha256 } },
          ...build.lockfiles.map((lock) => ({ uri: `git+${build.source.repo}@${build.source.ref}#${lock.path}`, name: lock.path, digest: { sha256: lock.sha256 } })),
        ],
      },
      runDetails: {
        builder: { id: SAMPLE_BUILDER_ID },
        metadata: { invocationId: build.ci.runUrl ?? build.ci.runId, startedOn, finishedOn },
      },
    },
  };
  return Buffer.from(JSON.stringify(statement));
}

/** An in-toto statement in a DSSE envelope, signed with a key, as a Sigstore bundle v0.3 (no log, no timestamp). */
export function signStatementBundle(statement: Buffer, key: SigningKey): string {
  const pae = Buffer.concat([Buffer.from(`DSSEv1 ${IN_TOTO_PAYLOAD_TYPE.length} ${IN_TOTO_PAYLOAD_TYPE} ${statement.length} `), statement]);
  const bundle = toDSSEBundle({ artifact: statement, artifactType: IN_TOTO_PAYLOAD_TYPE, signature: sign(null, pae, key.privateKey), keyHint: key.hint, certificateChain: false });
  const serialized = bundleToJSON(bundle);
  const material = serialized.verificationMaterial;
  if (!('publicKey' in material) || material.publicKey === undefined) throw new Error('the statement bundle lost its public-key hint');
  const json = {
    mediaType: serialized.mediaType,
    verificationMaterial: { publicKey: material.publicKey, tlogEntries: [], timestampVerificationData: { rfc3161Timestamps: [] } },
    dsseEnvelope: serialized.dsseEnvelope,
  };
  assertBundle(bundleFromJSON(json));
  return `${JSON.stringify(json, null, 2)}\n`;
}

/** An in-toto link (the form in-toto-run writes), signed with an Ed25519 key over its canonical JSON. */
export function signedLink(step: string, command: readonly string[], materials: readonly ManifestFileEntry[], products: readonly ManifestFileEntry[], key: SigningKey): { name: string; text: string } {
  const digests = (files: readonly ManifestFileEntry[]) => Object.fromEntries(files.map((f) => [f.path, { sha256: f.sha256 }]));
  const signed = { _type: 'link', byproducts: { 'return-value': 0, stderr: '', stdout: '' }, command: [...command], environment: {}, materials: digests(materials), name: step, products: digests(products) };
  const keyid = securesystemslibKeyIds(key.publicKey)[0]!;
  const sig = sign(null, canonicalJson(signed), key.privateKey).toString('hex');
  return { name: `links/${step}.${keyid.slice(0, 8)}.link`, text: `${JSON.stringify({ signatures: [{ keyid, sig }], signed }, null, 1)}\n` };
}

/** Writes the source commit, the provenance and the packaging link into the bundle. */
export async function writeSupplyChainEvidence(writer: BundleWriter, options: { commit: SignedCommit; build: BuildRecord; startedOn: string; finishedOn: string; key: SigningKey; modelFiles: readonly ManifestFileEntry[] }): Promise<void> {
  if (options.commit.id !== options.build.source.commit) throw new Error('the sample commit object is not the commit build.json names');
  await writer.writeFile(SOURCE_COMMIT_FILE, options.commit.bytes, 'application/x-git-commit');
  await writer.writeFile(PROVENANCE_FILE, signStatementBundle(provenanceStatement(options.build, options.startedOn, options.finishedOn), options.key), 'application/vnd.dev.sigstore.bundle.v0.3+json');
  const link = signedLink(PACKAGE_STEP, ['make', PACKAGE_STEP], [], options.modelFiles, options.key);
  await writer.writeFile(link.name, link.text, 'application/json');
}

/** The policy sections that require this evidence: provenance by the sample builder, the signed commit, the packaging link. */
export function supplyChainPolicy(pipelineKey: string, developer: Person): Record<string, unknown> {
  return {
    provenance: { signer: { key: pipelineKey }, builderIds: [SAMPLE_BUILDER_ID] },
    sourceCommit: { signers: [developerKeyName(developer)] },
    inToto: { steps: [{ name: PACKAGE_STEP, keys: [pipelineKey], threshold: 1 }] },
  };
}
