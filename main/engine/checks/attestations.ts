// ATT: every in-toto attestation of the bundle is signed by the signer the policy names for its predicate
// type and is about what it claims: image attestations (cosign .att layers and Sigstore bundles attached
// as referrers) must name the image manifest digest among their subjects; attestations under
// attestations/ (Sigstore bundles, or DSSE `.intoto.jsonl` lines checked with a key) must have every
// subject's sha256 be a file of the bundle (the one its name gives, when it names a path) or an image
// manifest digest of images/ (a listed image, or a platform manifest of a listed multi-platform image, which
// `cosign attest --recursive` attests too). The signer is chosen by the predicate type the payload claims and the
// choice re-checked against the verified statement. Predicate types the policy marks requiredForImages
// must be attested, verified, for every image. Once verified, an SBOM attestation (CycloneDX or SPDX
// predicate type, formats/sbom-predicate.ts) must also be about an image, carry a valid SBOM of the
// format its type promises, and list every model artefact with the sha256 the manifest has.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FindingId } from '../../../shared/finding-ids.js';
import type { Evidence, Subject } from '../../../shared/report.js';
import { readSbomValue } from '../formats/detect.js';
import { DSSE_ENVELOPE_MEDIA_TYPE, PREDICATE_TYPE_ANNOTATION, SIGSTORE_BUNDLE_ARTIFACT_TYPES, type CosignLayer } from '../formats/oci-layout.js';
import { invalidFormatNote, SBOM_FORMAT_LABELS, sha256Of, type Sbom } from '../formats/sbom-model.js';
import { formatFitsFamily, SBOM_PREDICATE_FAMILY_LABELS, sbomPredicateFamily, type SbomPredicateFamily } from '../formats/sbom-predicate.js';
import { parseStrictJson } from '../json/strict-json.js';
import { attestationLayerBundle } from '../sigstore/cosign-oci.js';
import { messageOf } from '../sigstore/errors.js';
import { IN_TOTO_PAYLOAD_TYPE, parseStatement, type InTotoStatement } from '../sigstore/in-toto.js';
import { fromSerialized, parseSignatureBundle, type LoadedBundle } from '../sigstore/load-bundle.js';
import type { ArtifactInput } from '../sigstore/verify-artifact.js';
import { resolveSigner } from '../trust/resolve-signers.js';
import { attestationSigner, bundleImages } from './bundle-images.js';
import { summariseIssues } from '../schemas/validate.js';
import { findingOf, type Check, type FindingDraft, type VerifyContext } from './check.js';
import { describeComponent, listModelArtefacts, modelArtefacts } from './model-listing.js';
import { verifySignature, type SignatureCause } from './signature-evidence.js';

export const ATTESTATIONS_DIR = 'attestations';
const MAX_ATTESTATION_FILE_BYTES = 16 * 1024 * 1024;

const CAUSE_FINDINGS: Record<SignatureCause, FindingId> = {
  malformed: 'ATT-MALFORMED',
  'signer-untrusted': 'ATT-SIGNER-UNTRUSTED',
  'artifact-mismatch': 'ATT-SUBJECT-MISMATCH',
  'signature-invalid': 'ATT-SIGNATURE-INVALID',
  'certificate-untrusted': 'ATT-CERTIFICATE-UNTRUSTED',
  'certificate-expired': 'ATT-CERTIFICATE-EXPIRED',
  'no-timestamp': 'ATT-NO-TIMESTAMP',
  'tlog-mismatch': 'ATT-TLOG-MISMATCH',
  'tlog-invalid': 'ATT-TLOG-INVALID',
  'timestamp-invalid': 'ATT-TIMESTAMP-INVALID',
};

export const attestationsCheck: Check = {
  prefix: 'ATT',
  title: 'Attestations',
  obligation:
    'Annex IV technical documentation and Art. 11: an SBOM, provenance or test-result attestation is evidence only if the identity the assessor trusts signed it and it is about exactly the artefact or image in the bundle.',
  findings: {
    'ATT-VERIFIED': { status: 'pass', severity: 'info', when: "An attestation verifies with the policy's signer for its predicate type, and every subject is the image or a file of the bundle." },
    'ATT-NO-TRUST': { status: 'not-run', severity: 'high', when: 'The bundle holds attestations but no trust store or policy was given (verdict INCOMPLETE).' },
    'ATT-NO-POLICY': { status: 'not-run', severity: 'high', when: 'The policy names no signer for the predicate type of an attestation (attestations.predicateTypes or attestations.signer).' },
    'ATT-MALFORMED': { status: 'fail', severity: 'critical', when: 'An attestation cannot be read: not a Sigstore bundle or DSSE envelope, not an in-toto Statement, wrong payload type, or missing annotations.' },
    'ATT-SUBJECT-MISMATCH': { status: 'fail', severity: 'critical', when: "An attestation's subjects do not include the image it is attached to, or name a digest that is no file or image of the bundle." },
    'ATT-PREDICATE-MISMATCH': { status: 'fail', severity: 'critical', when: 'The verified statement has another predicate type than the one its layer or referrer declares.' },
    'ATT-REQUIRED-MISSING': { status: 'fail', severity: 'critical', when: 'The policy requires a predicate type for every image (requiredForImages), and an image has no verified attestation of it.' },
    'ATT-SIGNER-UNTRUSTED': { status: 'fail', severity: 'critical', when: 'An attestation is signed by another identity, issuer or key than the policy requires for its predicate type.' },
    'ATT-SIGNATURE-INVALID': { status: 'fail', severity: 'critical', when: 'An attestation signature does not verify over its DSSE envelope.' },
    'ATT-CERTIFICATE-UNTRUSTED': { status: 'fail', severity: 'critical', when: "An attestation's certificate does not chain to a CA of the policy's trusted root." },
    'ATT-CERTIFICATE-EXPIRED': { status: 'fail', severity: 'critical', when: "No verified time falls inside the validity of an attestation's certificate." },
    'ATT-NO-TIMESTAMP': { status: 'fail', severity: 'critical', when: 'A certificate attestation carries nothing that proves when it was made.' },
    'ATT-TLOG-MISMATCH': { status: 'fail', severity: 'critical', when: "An attestation's log entry records another envelope, signature or key." },
    'ATT-TLOG-INVALID': { status: 'fail', severity: 'critical', when: "An attestation's signed entry timestamp, inclusion proof or checkpoint does not verify." },
    'ATT-TIMESTAMP-INVALID': { status: 'fail', severity: 'critical', when: "An attestation's RFC 3161 timestamp does not verify with the trusted root's TSAs." },
    'ATT-SBOM-VALID': { status: 'pass', severity: 'info', when: 'A verified SBOM attestation is about an image of the bundle (or a platform manifest of one), its predicate is a valid SBOM, and it lists every model artefact with the sha256 the manifest has.' },
    'ATT-SBOM-SUBJECT-NOT-IMAGE': { status: 'fail', severity: 'critical', when: 'A verified SBOM attestation under attestations/ names no image manifest digest of images/ (an image, or a platform manifest of a multi-platform image) among its subjects (only files).' },
    'ATT-SBOM-INVALID': { status: 'fail', severity: 'high', when: 'The predicate of a verified SBOM attestation is not a valid SBOM, or not of the format its predicate type promises (CycloneDX JSON, SPDX 2 JSON, SPDX 3 JSON-LD).' },
    'ATT-SBOM-MODEL-NOT-LISTED': { status: 'fail', severity: 'high', when: "A verified SBOM attestation's SBOM has no component with the sha256 the manifest has for a model artefact." },
    'ATT-SBOM-MODEL-HASH-MISMATCH': { status: 'fail', severity: 'critical', when: "A verified SBOM attestation's SBOM lists a component for a model artefact with another sha256 than the manifest has." },
  },
  async run(context: VerifyContext): Promise<readonly FindingDraft[]> {
    const sources = await attestationSources(context);
    if (context.trust === null || context.policy === null) {
      return sources.length === 0 ? [] : [findingOf(this, 'ATT-NO-TRUST', { kind: 'bundle', ref: context.bundle.source }, `The bundle holds ${sources.length} attestation(s), but no trust store and policy were given (--trust, --policy): they were not checked`)];
    }
    const known = await knownDigests(context);
    const findings: FindingDraft[] = [];
    const attested = new Map<string, Set<string>>(); // image digest -> verified predicate types
    for (const source of sources) {
      const result = await verifySource(context, source, known);
      findings.push(...result.findings);
      for (const { digest, predicateType } of result.attests) {
        if (!attested.has(digest)) attested.set(digest, new Set());
        attested.get(digest)!.add(predicateType);
      }
    }
    const required = (context.policy.attestations?.predicateTypes ?? []).filter((p) => p.requiredForImages);
    for (const [digest, image] of known.images) {
      for (const { predicateType } of required) {
        if (attested.get(digest)?.has(predicateType) === true) continue;
        findings.push(findingOf(this, 'ATT-REQUIRED-MISSING', { kind: 'digest', digest }, `The policy requires a verified ${predicateType} attestation for every image, and image ${image} (${digest}) has none`, { image, imageDigest: digest, predicateType }));
      }
    }
    return findings;
  },
};

type AttestationSource =
  | {
      readonly kind: 'image-layer' | 'referrer';
      readonly path: string;
      readonly image: string;
      /** The digest the attestation is attached to: the image's, or a platform manifest's of it (platformOf: the index digest). */
      readonly imageDigest: string;
      readonly platformOf: string | null;
      readonly layer: CosignLayer;
      readonly declaredPredicateType: string | null;
    }
  | { readonly kind: 'file'; readonly path: string; readonly line: number | null; readonly bytes: Buffer };

async function attestationSources(context: VerifyContext): Promise<AttestationSource[]> {
  const sources: AttestationSource[] = [];
  for (const reading of await bundleImages(context)) {
    if (!('layout' in reading)) continue; // SIG-IMAGE reports the broken layout
    const { layout } = reading;
    for (const manifest of layout.attestations) {
      for (const layer of manifest.layers) {
        sources.push({ kind: 'image-layer', path: layer.path, image: layout.name, imageDigest: manifest.forImage, platformOf: manifest.platformOf, layer, declaredPredicateType: layer.annotations[PREDICATE_TYPE_ANNOTATION] ?? null });
      }
    }
    for (const referrer of layout.referrers) {
      if ((referrer.annotations['dev.sigstore.bundle.content'] ?? 'dsse-envelope') !== 'dsse-envelope') continue; // a signature: SIG-IMAGE
      for (const layer of referrer.layers) {
        sources.push({ kind: 'referrer', path: layer.path, image: layout.name, imageDigest: referrer.subject, platformOf: referrer.platformOf, layer, declaredPredicateType: referrer.annotations['dev.sigstore.bundle.predicateType'] ?? null });
      }
    }
  }
  for (const file of context.bundle.files.filter((f) => f.path.startsWith(`${ATTESTATIONS_DIR}/`))) {
    if (file.size > MAX_ATTESTATION_FILE_BYTES) {
      sources.push({ kind: 'file', path: file.path, line: null, bytes: Buffer.alloc(0) });
      continue;
    }
    const bytes = await readFile(join(context.bundle.root, ...file.path.split('/')));
    if (file.path.endsWith('.jsonl')) {
      const lines = bytes.toString('utf8').split('\n');
      lines.forEach((line, i) => {
        if (line.trim() !== '' || i < lines.length - 1) sources.push({ kind: 'file', path: file.path, line: i + 1, bytes: Buffer.from(line, 'utf8') });
      });
    } else {
      sources.push({ kind: 'file', path: file.path, line: null, bytes });
    }
  }
  return sources;
}

interface KnownDigests {
  /** sha256 hex -> bundle paths with those bytes */
  readonly files: ReadonlyMap<string, readonly string[]>;
  /** image manifest digest (sha256:<hex>) -> image name: the images index.json lists, each required to be attested */
  readonly images: ReadonlyMap<string, string>;
  /** What an attestation may be about: the images, and the platform manifests of multi-platform ones (digest -> how to name it). */
  readonly subjects: ReadonlyMap<string, string>;
}

async function knownDigests(context: VerifyContext): Promise<KnownDigests> {
  const files = new Map<string, string[]>();
  for (const [path, hash] of context.hashes) {
    if (!hash.ok) continue;
    files.set(hash.sha256, [...(files.get(hash.sha256) ?? []), path]);
  }
  const images = new Map<string, string>();
  const subjects = new Map<string, string>();
  for (const reading of await bundleImages(context)) {
    if (!('layout' in reading)) continue;
    for (const image of reading.layout.images) {
      images.set(image.descriptor.digest, reading.name);
      for (const { descriptor } of image.platforms) if (!subjects.has(descriptor.digest)) subjects.set(descriptor.digest, `a platform manifest of image ${reading.name}`);
    }
  }
  for (const [digest, name] of images) subjects.set(digest, `image ${name}`);
  return { files, images, subjects };
}

interface SourceResult {
  readonly findings: FindingDraft[];
  /** Images this source proves an attestation of, with the verified predicate type. */
  readonly attests: { digest: string; predicateType: string }[];
}

async function verifySource(context: VerifyContext, source: AttestationSource, known: KnownDigests): Promise<SourceResult> {
  const check = attestationsCheck;
  const subject: Subject = source.kind === 'file' && source.line !== null ? { kind: 'log-entry', path: source.path, line: source.line } : { kind: 'file', path: source.path };
  const where = source.kind === 'file' ? `${source.path}${source.line === null ? '' : ` line ${source.line}`}` : `an attestation of ${source.platformOf === null ? '' : 'a platform manifest of '}image ${source.image} (${source.path})`;
  const base: Evidence = source.kind === 'file' ? { attestation: source.path, line: source.line } : { image: source.image, imageDigest: source.imageDigest, ...(source.platformOf === null ? {} : { platformOf: source.platformOf }), origin: source.kind, layer: source.layer.descriptor.digest };
  const fail = (id: FindingId, message: string, evidence: Evidence = {}): SourceResult => ({ findings: [findingOf(check, id, subject, message, { ...base, ...evidence })], attests: [] });
  if (context.trust === null || context.policy === null) throw new Error('unreachable: checked by run()');

  let bundle: LoadedBundle;
  try {
    bundle = loadAttestation(source);
  } catch (error) {
    return fail('ATT-MALFORMED', `${where} cannot be read as an attestation: ${messageOf(error)}`);
  }
  if (bundle.bundle.content.$case !== 'dsseEnvelope') return fail('ATT-MALFORMED', `${where} holds a message signature, not a DSSE attestation`);
  const envelope = bundle.bundle.content.dsseEnvelope;
  if (envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE) return fail('ATT-MALFORMED', `${where}: DSSE payload type is "${envelope.payloadType}", not ${IN_TOTO_PAYLOAD_TYPE}`, { payloadType: envelope.payloadType });
  // Read (not yet trusted) only to choose the signer and the subject to bind; both are re-checked once verified.
  let claimed: InTotoStatement;
  try {
    claimed = parseStatement(envelope.payload);
  } catch (error) {
    return fail('ATT-MALFORMED', `${where}: ${messageOf(error)}`);
  }
  const requirement = attestationSigner(context.policy, claimed.predicateType);
  if (requirement === null) {
    return fail('ATT-NO-POLICY', `The policy names no signer for predicate type ${claimed.predicateType} (${where}): it was not checked`, { predicateType: claimed.predicateType });
  }
  const signer = resolveSigner(context.trust, requirement);

  let artifact: ArtifactInput;
  if (source.kind === 'file') {
    const bound = claimed.subjects.map((s) => s.digest['sha256']).find((hex) => hex !== undefined && (known.files.has(hex) || known.subjects.has(`sha256:${hex}`)));
    if (bound === undefined) {
      return fail('ATT-SUBJECT-MISMATCH', `${where} is about ${subjectList(claimed)}, none of which is a file or image of this bundle`, { predicateType: claimed.predicateType, subjects: subjectList(claimed) });
    }
    artifact = { kind: 'digest', sha256: Buffer.from(bound, 'hex') };
  } else {
    artifact = { kind: 'digest', sha256: Buffer.from(source.imageDigest.slice('sha256:'.length), 'hex') };
  }

  const outcome = verifySignature(bundle, artifact, signer, 'attestation');
  if (!outcome.ok) {
    const message =
      outcome.cause === 'artifact-mismatch' && source.kind !== 'file'
        ? `${where} is attached to image ${source.imageDigest}, but its statement is about ${subjectList(claimed)}`
        : `${where} does not verify as the policy requires for ${claimed.predicateType}: ${outcome.reason}`;
    return fail(CAUSE_FINDINGS[outcome.cause], message, { ...outcome.evidence, predicateType: claimed.predicateType, subjects: subjectList(claimed) });
  }
  const statement = outcome.verified.statement;
  if (statement === null) return fail('ATT-MALFORMED', `${where} verified, but holds no in-toto statement`);
  const evidence: Evidence = { ...base, ...outcome.evidence, predicateType: statement.predicateType, subjects: subjectList(statement) };
  if (statement.predicateType !== claimed.predicateType) return fail('ATT-PREDICATE-MISMATCH', `${where}: the verified statement's predicate type changed`, evidence);
  if (source.kind !== 'file' && source.declaredPredicateType !== null && source.declaredPredicateType !== statement.predicateType) {
    return fail('ATT-PREDICATE-MISMATCH', `${where} is declared as ${source.declaredPredicateType}, but the signed statement is ${statement.predicateType}`, { ...evidence, declaredPredicateType: source.declaredPredicateType });
  }
  if (source.kind === 'file') {
    const unmatched = unmatchedSubjects(statement, known);
    if (unmatched.length > 0) return fail('ATT-SUBJECT-MISMATCH', `${where} is signed, but claims subjects the bundle does not hold: ${unmatched.join('; ')}`, evidence);
  }
  const attests = statement.subjects
    .map((s) => `sha256:${(s.digest['sha256'] ?? '').toLowerCase()}`)
    .filter((d) => known.images.has(d))
    .map((digest) => ({ digest, predicateType: statement.predicateType }));
  const about = source.kind === 'file' ? subjectList(statement) : `image ${source.image} (${source.imageDigest})`;
  const verified = `${statement.predicateType} attestation about ${about}, signed by ${outcome.summary}`;
  const family = sbomPredicateFamily(statement.predicateType);
  if (family === null) return { findings: [findingOf(check, 'ATT-VERIFIED', subject, verified, evidence)], attests };

  const sbom = await sbomFindings(context, { statement, family, fileSource: source.kind === 'file', known, subject, where, evidence });
  const unchecked = sbom.modelsUnchecked === null ? '' : `; its SBOM was not matched to the model artefacts: ${sbom.modelsUnchecked}`;
  const verifiedEvidence = sbom.modelsUnchecked === null ? evidence : { ...evidence, sbomModelArtefacts: `not checked: ${sbom.modelsUnchecked}` };
  return { findings: [findingOf(check, 'ATT-VERIFIED', subject, `${verified}${unchecked}`, verifiedEvidence), ...sbom.findings], attests };
}

interface SbomAttestation {
  readonly statement: InTotoStatement;
  readonly family: SbomPredicateFamily;
  /** Under attestations/: its subjects were matched to files or images, not bound to one image. */
  readonly fileSource: boolean;
  readonly known: KnownDigests;
  readonly subject: Subject;
  readonly where: string;
  readonly evidence: Evidence;
}

/**
 * The SBOM rules for a verified SBOM attestation: about an image, a valid SBOM of the promised format,
 * every model artefact listed with the manifest's sha256. `modelsUnchecked` says why the last could not
 * be decided (then there is no ATT-SBOM-VALID).
 */
async function sbomFindings(context: VerifyContext, at: SbomAttestation): Promise<{ findings: FindingDraft[]; modelsUnchecked: string | null }> {
  const check = attestationsCheck;
  const { statement, subject, where } = at;
  const findings: FindingDraft[] = [];
  const fail = (id: FindingId, message: string, evidence: Evidence = {}) => findings.push(findingOf(check, id, subject, message, { ...at.evidence, ...evidence }));

  // An image attestation's subject was bound to its image by the signature check; a file's may name only files.
  const images = statement.subjects.map((s) => `sha256:${(s.digest['sha256'] ?? '').toLowerCase()}`).filter((d) => at.known.subjects.has(d));
  if (at.fileSource && images.length === 0) {
    fail('ATT-SBOM-SUBJECT-NOT-IMAGE', `${where} is an SBOM attestation about ${subjectList(statement)}, none of which is an image of the bundle: an SBOM attestation is about the image digest`);
  }

  const reading = await readSbomValue(statement.predicate);
  if (!reading.ok) {
    fail('ATT-SBOM-INVALID', `${where}: the ${statement.predicateType} predicate${invalidFormatNote(reading)} is no valid SBOM: ${summariseIssues(reading.issues)}`, {
      problem: reading.kind,
      format: reading.format,
      specVersion: reading.specVersion,
      issues: reading.issues.length,
    });
    return { findings, modelsUnchecked: null };
  }
  const sbom = reading.sbom;
  const label = `${SBOM_FORMAT_LABELS[sbom.format]} ${sbom.specVersion}`;
  if (!formatFitsFamily(sbom.format, at.family)) {
    fail('ATT-SBOM-INVALID', `${where}: predicate type ${statement.predicateType} promises ${SBOM_PREDICATE_FAMILY_LABELS[at.family]}, but the predicate is ${label}`, {
      problem: 'format-mismatch',
      format: sbom.format,
      specVersion: sbom.specVersion,
    });
    return { findings, modelsUnchecked: null };
  }

  if (context.manifest.state !== 'ok') return { findings, modelsUnchecked: 'the manifest is missing or invalid, so the model artefacts are unknown' };
  const manifest = context.manifest.value;
  const listed = modelFindingsOf(at, manifest.model.name, modelArtefacts(manifest), sbom, label);
  findings.push(...listed.failures);
  if (findings.length === 0) {
    findings.push(
      findingOf(check, 'ATT-SBOM-VALID', subject, `A valid ${label} SBOM about ${images.map((d) => `${at.known.subjects.get(d)!} (${d})`).join(', ')}, listing ${listed.matches.map((m) => `${m.artefact} as ${m.component}`).join(', ')} with the sha256 the manifest has`, {
        ...at.evidence,
        format: sbom.format,
        specVersion: sbom.specVersion,
        components: sbom.components.length,
        modelArtefacts: listed.matches.map((m) => `${m.artefact}@sha256:${m.sha256} as ${m.component}`).join('; '),
      }),
    );
  }
  return { findings, modelsUnchecked: null };
}

/** The model-artefact rule over one attestation's SBOM (model-listing.ts decides, this words it). */
function modelFindingsOf(
  at: SbomAttestation,
  modelName: string,
  artefacts: ReturnType<typeof modelArtefacts>,
  sbom: Sbom,
  label: string,
): { failures: FindingDraft[]; matches: { artefact: string; sha256: string; component: string }[] } {
  const failures: FindingDraft[] = [];
  const matches: { artefact: string; sha256: string; component: string }[] = [];
  for (const listing of listModelArtefacts(artefacts, modelName, [{ source: at.where, sbom }])) {
    const { path, sha256: expected } = listing.artefact;
    if (listing.kind === 'listed') {
      matches.push({ artefact: path, sha256: expected, component: listing.listed[0]!.component.ref });
    } else if (listing.kind === 'other-hash') {
      for (const { component } of listing.claimed) {
        const actual = sha256Of(component).join(', ');
        failures.push(
          findingOf(attestationsCheck, 'ATT-SBOM-MODEL-HASH-MISMATCH', at.subject, `${at.where}: its ${label} SBOM lists ${describeComponent(component)} with sha256 ${actual}; the manifest has ${expected} for ${path}`, {
            ...at.evidence,
            artefact: path,
            component: component.ref,
            sbomSha256: actual,
            manifestSha256: expected,
          }),
        );
      }
    } else {
      const without = listing.claimedWithoutHash.length > 0 ? ` (${listing.claimedWithoutHash.map(({ component }) => describeComponent(component)).join(', ')} has no sha256)` : '';
      failures.push(
        findingOf(
          attestationsCheck,
          'ATT-SBOM-MODEL-NOT-LISTED',
          at.subject,
          `${at.where}: its ${label} SBOM does not list ${path} with sha256 ${expected}${without}; model components present: ${listing.models.map(describeComponent).join(', ') || 'none'}`,
          { ...at.evidence, artefact: path, manifestSha256: expected, modelComponents: listing.models.length },
        ),
      );
    }
  }
  return { failures, matches };
}

/** The bundle an attestation source holds; throws with the reason it cannot be read. */
function loadAttestation(source: AttestationSource): LoadedBundle {
  if (source.kind === 'file') {
    if (source.bytes.length === 0) throw new Error('empty, or larger than any attestation');
    if (source.line !== null) return bareEnvelope(source.bytes);
    return parseSignatureBundle(source.bytes, { requireCanonical: true });
  }
  if (source.kind === 'image-layer') {
    if (source.layer.descriptor.mediaType !== DSSE_ENVELOPE_MEDIA_TYPE) throw new Error(`the attestation layer has media type ${source.layer.descriptor.mediaType}, not ${DSSE_ENVELOPE_MEDIA_TYPE}`);
    return attestationLayerBundle(source.layer.bytes, source.layer.annotations);
  }
  if (!(SIGSTORE_BUNDLE_ARTIFACT_TYPES as readonly string[]).includes(source.layer.descriptor.mediaType)) throw new Error(`the referrer layer has media type ${source.layer.descriptor.mediaType}, not a Sigstore bundle`);
  return parseSignatureBundle(source.layer.bytes, { requireCanonical: true });
}

/**
 * A DSSE envelope on its own (an `.intoto.jsonl` line) carries no verification material: it can only be
 * checked with a key the policy names, so it becomes a key-hinted v0.3 bundle with no log entry.
 */
function bareEnvelope(line: Buffer): LoadedBundle {
  const envelope = parseStrictJson(line);
  return fromSerialized(
    {
      mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
      verificationMaterial: { publicKey: { hint: '' }, tlogEntries: [], timestampVerificationData: { rfc3161Timestamps: [] } },
      dsseEnvelope: envelope,
    },
    { requireCanonical: false },
  );
}

function subjectList(statement: InTotoStatement): string {
  return statement.subjects.map((s) => `${s.name || '?'}@sha256:${s.digest['sha256'] ?? '?'}`).join(', ');
}

/** Subjects whose sha256 is no file or image of the bundle, or whose name is a bundle path holding other bytes. */
function unmatchedSubjects(statement: InTotoStatement, known: KnownDigests): string[] {
  const out: string[] = [];
  for (const s of statement.subjects) {
    const hex = (s.digest['sha256'] ?? '').toLowerCase();
    const paths = known.files.get(hex) ?? [];
    const isImage = known.subjects.has(`sha256:${hex}`);
    if (!/^[0-9a-f]{64}$/.test(hex)) out.push(`${s.name || '?'} has no sha256 digest`);
    else if (paths.length === 0 && !isImage) out.push(`${s.name || '?'}@sha256:${hex} is no file or image of the bundle`);
    else if (s.name !== '' && !isImage && [...known.files.values()].some((p) => p.includes(s.name)) && !paths.includes(s.name)) out.push(`${s.name} has other bytes in the bundle than sha256:${hex}`);
  }
  return out;
}
