// SIG-IMAGE: every container image under images/<name>/ (an OCI image layout as `cosign save` writes it)
// is signed by the signer the policy names for it: each cosign signature layer is verified as the legacy
// bundle its annotations form (certificate, Rekor SET, timestamps against the policy's trusted root), and
// only then is its simple-signing payload parsed, from the same bytes, and its docker-manifest-digest
// compared with the image manifest digest. Message-signature Sigstore bundles attached as referrers
// count as signatures of their subject. A multi-platform image signed recursively (`cosign sign
// --recursive`) also carries signatures of its platform manifests: each is verified with the signer of its
// image and reported, a failure failing like any other, but the image itself (the index digest) must be
// signed all the same. Finally, the image digest records/deployment.json names is proven when a verified
// signature covers it; a platform manifest digest is proven by its own verified signature or by its
// index's (the signed index lists that digest).

import type { FindingId } from '../../../shared/finding-ids.js';
import type { Evidence, Subject } from '../../../shared/report.js';
import { parseStrictJson } from '../json/strict-json.js';
import { OciBundleLimitError, SIGSTORE_BUNDLE_ARTIFACT_TYPES, SIMPLE_SIGNING_MEDIA_TYPE, type CosignLayer, type OciImageLayout, type OciPlatform } from '../formats/oci-layout.js';
import { describeSigner } from '../schemas/policy.js';
import { RECORD_PATHS, deploymentRecordSchema } from '../schemas/records.js';
import { readJsonDocument } from '../schemas/validate.js';
import { signatureLayerBundle } from '../sigstore/cosign-oci.js';
import { messageOf } from '../sigstore/errors.js';
import { parseSignatureBundle, type LoadedBundle } from '../sigstore/load-bundle.js';
import { resolveSigner, type ResolvedSigner } from '../trust/resolve-signers.js';
import { bundleImages, imageSigner } from './bundle-images.js';
import { findingOf, type Check, type FindingDraft, type VerifyContext } from './check.js';
import { verifySignature, type SignatureCause } from './signature-evidence.js';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

const CAUSE_FINDINGS: Record<SignatureCause, FindingId> = {
  malformed: 'SIG-IMAGE-SIGNATURE-MALFORMED',
  'signer-untrusted': 'SIG-IMAGE-SIGNER-UNTRUSTED',
  'artifact-mismatch': 'SIG-IMAGE-SIGNATURE-INVALID',
  'signature-invalid': 'SIG-IMAGE-SIGNATURE-INVALID',
  'certificate-untrusted': 'SIG-IMAGE-CERTIFICATE-UNTRUSTED',
  'certificate-expired': 'SIG-IMAGE-CERTIFICATE-EXPIRED',
  'no-timestamp': 'SIG-IMAGE-NO-TIMESTAMP',
  'tlog-mismatch': 'SIG-IMAGE-TLOG-MISMATCH',
  'tlog-invalid': 'SIG-IMAGE-TLOG-INVALID',
  'timestamp-invalid': 'SIG-IMAGE-TIMESTAMP-INVALID',
};

export const imageSignaturesCheck: Check = {
  prefix: 'SIG-IMAGE',
  title: 'Container image signatures',
  obligation:
    'Art. 15 cybersecurity and Annex IV technical documentation: only a signature by the identity the assessor trusts proves that the image deployed is the one the release pipeline built.',
  findings: {
    'SIG-IMAGE-VERIFIED': { status: 'pass', severity: 'info', when: "A signature of the image verifies with the policy's signer and its simple-signing payload names exactly the image manifest digest. Also reported for each signature of a platform manifest of a multi-platform image (cosign sign --recursive), verified with the image's signer; the image itself (the index digest) must still be signed." },
    'SIG-IMAGE-NO-TRUST': { status: 'not-run', severity: 'high', when: 'The bundle holds images but no trust store or policy was given (verdict INCOMPLETE).' },
    'SIG-IMAGE-NO-POLICY': { status: 'not-run', severity: 'high', when: 'The policy names no signer for an image of the bundle (images.named or images.signer), so it cannot be verified.' },
    'SIG-IMAGE-MISSING': { status: 'fail', severity: 'critical', when: 'The policy names an image (images.named) that the bundle does not hold under images/.' },
    'SIG-IMAGE-LAYOUT-INVALID': { status: 'fail', severity: 'critical', when: 'images/<name>/ is not a valid OCI image layout: a marker, index or manifest is missing or malformed, a blob is missing, has another size, or does not hash to its digest (for a multi-platform image: the image index and every platform manifest it lists, with their configs and layers; an index nested in it is refused), a signature or attestation is tagged for (or a referrer has as its subject) a digest that is neither an image index.json lists nor a platform manifest listed by one of its image indexes, or reading it would take more than 1,024 blob reads or 128 MiB. Also, reported as not verified, when the bundle holds more than 64 layouts (those past the 64th in name order) or reading a layout would bring the metadata read over all layouts past 512 MiB (that layout and those after it).' },
    'SIG-IMAGE-UNSIGNED': { status: 'fail', severity: 'critical', when: 'An image has no signature (no cosign signatures manifest and no signature referrer).' },
    'SIG-IMAGE-SIGNATURE-MALFORMED': { status: 'fail', severity: 'critical', when: 'A signature layer or referrer cannot be read: wrong media type, missing or malformed annotations, or an invalid bundle.' },
    'SIG-IMAGE-DIGEST-MISMATCH': { status: 'fail', severity: 'critical', when: "A verified signature's simple-signing payload names another image manifest digest than the image it is attached to." },
    'SIG-IMAGE-SIGNER-UNTRUSTED': { status: 'fail', severity: 'critical', when: 'An image signature is by another identity, issuer or key than the policy requires.' },
    'SIG-IMAGE-SIGNATURE-INVALID': { status: 'fail', severity: 'critical', when: 'An image signature does not verify over its payload.' },
    'SIG-IMAGE-CERTIFICATE-UNTRUSTED': { status: 'fail', severity: 'critical', when: "An image signature's certificate does not chain to a CA of the policy's trusted root." },
    'SIG-IMAGE-CERTIFICATE-EXPIRED': { status: 'fail', severity: 'critical', when: "No verified time falls inside the validity of an image signature's certificate." },
    'SIG-IMAGE-NO-TIMESTAMP': { status: 'fail', severity: 'critical', when: 'A certificate image signature carries nothing that proves when it was made.' },
    'SIG-IMAGE-TLOG-MISMATCH': { status: 'fail', severity: 'critical', when: "An image signature's log entry records another artefact, signature or key." },
    'SIG-IMAGE-TLOG-INVALID': { status: 'fail', severity: 'critical', when: "An image signature's signed entry timestamp, inclusion proof or checkpoint does not verify." },
    'SIG-IMAGE-TIMESTAMP-INVALID': { status: 'fail', severity: 'critical', when: "An image signature's RFC 3161 timestamp does not verify with the trusted root's TSAs." },
    'SIG-IMAGE-DEPLOYED-PROVEN': { status: 'pass', severity: 'info', when: "The image digest records/deployment.json names is covered by a verified image signature; a platform manifest digest of a multi-platform image is covered by its own verified signature or by its index's (the evidence's provenBy says which)." },
    'SIG-IMAGE-DEPLOYED-UNPROVEN': { status: 'fail', severity: 'critical', when: 'The policy requires image signatures, but no verified signature of an image in the bundle covers the digest records/deployment.json names.' },
  },
  async run(context: VerifyContext): Promise<readonly FindingDraft[]> {
    const images = await bundleImages(context);
    if (context.trust === null || context.policy === null) {
      return images.length === 0 ? [] : [findingOf(this, 'SIG-IMAGE-NO-TRUST', { kind: 'bundle', ref: context.bundle.source }, `The bundle holds ${images.length} image(s) under images/, but no trust store and policy were given (--trust, --policy): their signatures were not checked`)];
    }
    const findings: FindingDraft[] = [];
    const proven = new Map<string, Proof>();
    for (const named of context.policy.images?.named ?? []) {
      if (!images.some((i) => i.name === named.name)) {
        findings.push(findingOf(this, 'SIG-IMAGE-MISSING', { kind: 'file', path: `images/${named.name}/` }, `The policy requires image "${named.name}", but the bundle has no images/${named.name}/`, { requiredSigner: describeSigner(named.signer) }));
      }
    }
    for (const reading of images) {
      if ('error' in reading) {
        const notRead = reading.error instanceof OciBundleLimitError;
        findings.push(findingOf(this, 'SIG-IMAGE-LAYOUT-INVALID', { kind: 'file', path: reading.error.path }, `images/${reading.name}/ ${notRead ? 'was not verified' : 'is not a valid OCI image layout'}: ${reading.error.message}`, { image: reading.name, notRead }));
        continue;
      }
      const requirement = imageSigner(context.policy, reading.name);
      if (requirement === null) {
        findings.push(findingOf(this, 'SIG-IMAGE-NO-POLICY', { kind: 'file', path: `${reading.layout.dir}/` }, `The policy names no signer for image "${reading.name}" (images.named or images.signer): its signatures were not checked`, { image: reading.name }));
        continue;
      }
      const signer = resolveSigner(context.trust, requirement);
      findings.push(...(await layoutFindings(reading.layout, signer, proven)));
    }
    if (context.policy.images !== undefined) findings.push(...(await deploymentFindings(context, proven)));
    return findings;
  },
};

interface SignatureSource {
  readonly imageDigest: string;
  /** When imageDigest is a platform manifest of a multi-platform image: the image's (index's) digest and the platform. */
  readonly platformOf: { readonly index: string; readonly platform: string | null } | null;
  readonly layer: CosignLayer;
  readonly origin: 'cosign-signature' | 'referrer';
}

/** A digest covered by a verified signature, and how: its own signature, or (a platform manifest) its index's. */
interface Proof {
  readonly image: string;
  readonly signer: string;
  readonly dockerReference: string | null;
  readonly by: 'image-signature' | 'platform-signature' | 'index-signature';
  /** For a platform manifest: the digest of the index that lists it. */
  readonly index: string | null;
}

function signaturesOf(layout: OciImageLayout, digest: string, platformOf: SignatureSource['platformOf']): SignatureSource[] {
  return [
    ...layout.signatures.filter((s) => s.forImage === digest).flatMap((s) => s.layers.map((layer) => ({ imageDigest: digest, platformOf, layer, origin: 'cosign-signature' as const }))),
    ...layout.referrers
      .filter((r) => r.subject === digest && (r.annotations['dev.sigstore.bundle.content'] ?? '') === 'message-signature')
      .flatMap((r) => r.layers.map((layer) => ({ imageDigest: digest, platformOf, layer, origin: 'referrer' as const }))),
  ];
}

function platformText(platform: OciPlatform | null): string | null {
  return platform === null ? null : [platform.os, platform.architecture, platform.variant].filter((p) => p !== undefined).join('/');
}

async function layoutFindings(layout: OciImageLayout, signer: ResolvedSigner, proven: Map<string, Proof>): Promise<FindingDraft[]> {
  const check = imageSignaturesCheck;
  const findings: FindingDraft[] = [];
  const signerOf = (finding: FindingDraft) => String(finding.evidence['signerIdentity'] ?? finding.evidence['key'] ?? '?');
  for (const image of layout.images) {
    const digest = image.descriptor.digest;
    const sources = signaturesOf(layout, digest, null);
    if (sources.length === 0) {
      findings.push(findingOf(check, 'SIG-IMAGE-UNSIGNED', { kind: 'digest', digest }, `Image ${layout.name} (${digest}) has no signature: no cosign signatures manifest and no signature referrer in ${layout.dir}/`, { image: layout.name, imageDigest: digest }));
    }
    let indexProof: Proof | null = null;
    for (const source of sources) {
      const finding = verifyImageSignature(layout, source, signer);
      findings.push(finding);
      if (finding.id === 'SIG-IMAGE-VERIFIED') {
        indexProof = { image: layout.name, signer: signerOf(finding), dockerReference: (finding.evidence['dockerReference'] as string | null) ?? null, by: 'image-signature', index: null };
        proven.set(digest, indexProof);
      }
    }
    // A recursively signed multi-platform image: each platform manifest's own signatures, with the image's signer.
    // A platform manifest also listed as an image of the layout is verified as that image, above.
    for (const { descriptor, platform } of image.platforms) {
      if (layout.images.some((i) => i.descriptor.digest === descriptor.digest)) continue;
      for (const source of signaturesOf(layout, descriptor.digest, { index: digest, platform: platformText(platform) })) {
        const finding = verifyImageSignature(layout, source, signer);
        findings.push(finding);
        if (finding.id === 'SIG-IMAGE-VERIFIED') {
          proven.set(descriptor.digest, { image: layout.name, signer: signerOf(finding), dockerReference: (finding.evidence['dockerReference'] as string | null) ?? null, by: 'platform-signature', index: digest });
        }
      }
      // The verified index signature commits to the index bytes, which list this platform manifest's digest.
      if (indexProof !== null && !proven.has(descriptor.digest)) proven.set(descriptor.digest, { ...indexProof, by: 'index-signature', index: digest });
    }
  }
  return findings;
}

function verifyImageSignature(layout: OciImageLayout, source: SignatureSource, signer: ResolvedSigner): FindingDraft {
  const check = imageSignaturesCheck;
  const { layer, imageDigest } = source;
  const subject: Subject = { kind: 'file', path: layer.path };
  const base: Evidence = {
    image: layout.name,
    imageDigest,
    signatureLayer: layer.descriptor.digest,
    origin: source.origin,
    ...(source.platformOf === null ? {} : { platformOf: source.platformOf.index, platform: source.platformOf.platform }),
  };
  const what = source.platformOf === null ? `image ${layout.name}` : source.platformOf.platform === null ? `a platform manifest of image ${layout.name}` : `the ${source.platformOf.platform} platform manifest of image ${layout.name}`;
  let bundle: LoadedBundle;
  try {
    if (source.origin === 'referrer') {
      if (!(SIGSTORE_BUNDLE_ARTIFACT_TYPES as readonly string[]).includes(layer.descriptor.mediaType)) throw new Error(`the referrer layer has media type ${layer.descriptor.mediaType}, not a Sigstore bundle`);
      bundle = parseSignatureBundle(layer.bytes, { requireCanonical: true });
    } else {
      if (layer.descriptor.mediaType !== SIMPLE_SIGNING_MEDIA_TYPE) throw new Error(`the signature layer has media type ${layer.descriptor.mediaType}, not ${SIMPLE_SIGNING_MEDIA_TYPE}`);
      bundle = signatureLayerBundle(layer.annotations);
    }
  } catch (error) {
    return findingOf(check, 'SIG-IMAGE-SIGNATURE-MALFORMED', subject, `A signature of ${what} cannot be read: ${messageOf(error)}`, base);
  }
  // A referrer's message signature signs the image manifest itself; a cosign layer signs its payload.
  const artifact = source.origin === 'referrer' ? { kind: 'digest' as const, sha256: Buffer.from(imageDigest.slice('sha256:'.length), 'hex') } : { kind: 'bytes' as const, bytes: layer.bytes };
  const outcome = verifySignature(bundle, artifact, signer);
  if (!outcome.ok) {
    return findingOf(check, CAUSE_FINDINGS[outcome.cause], subject, `A signature of ${what} (${imageDigest}) does not verify as the policy requires: ${outcome.reason}`, { ...base, ...outcome.evidence });
  }
  if (source.origin === 'referrer') {
    return findingOf(check, 'SIG-IMAGE-VERIFIED', subject, `${capital(what)} (${imageDigest}) is signed by ${outcome.summary}`, { ...base, ...outcome.evidence, dockerReference: null });
  }
  // Verified: now the payload, parsed from the same bytes, must name this image.
  let payload: { dockerReference: string | null; digest: string };
  try {
    payload = simpleSigningPayload(layer.bytes);
  } catch (error) {
    return findingOf(check, 'SIG-IMAGE-SIGNATURE-MALFORMED', subject, `The signed payload of ${what} is not a simple-signing payload: ${messageOf(error)}`, { ...base, ...outcome.evidence });
  }
  if (payload.digest !== imageDigest) {
    return findingOf(check, 'SIG-IMAGE-DIGEST-MISMATCH', subject, `A signature attached to ${what} (${imageDigest}) signs another image: its payload names docker-manifest-digest ${payload.digest}`, {
      ...base,
      ...outcome.evidence,
      signedDigest: payload.digest,
      dockerReference: payload.dockerReference,
    });
  }
  return findingOf(check, 'SIG-IMAGE-VERIFIED', subject, `${capital(what)} (${imageDigest}${payload.dockerReference === null ? '' : `, ${payload.dockerReference}`}) is signed by ${outcome.summary}`, {
    ...base,
    ...outcome.evidence,
    signedDigest: payload.digest,
    dockerReference: payload.dockerReference,
  });
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** cosign's simple-signing payload: `critical.image.docker-manifest-digest` and the signature type are required. */
function simpleSigningPayload(bytes: Buffer): { dockerReference: string | null; digest: string } {
  const json = parseStrictJson(bytes) as { critical?: { identity?: { 'docker-reference'?: unknown }; image?: { 'docker-manifest-digest'?: unknown }; type?: unknown } };
  const critical = json?.critical;
  if (typeof critical !== 'object' || critical === null) throw new Error('no "critical" object');
  if (critical.type !== 'cosign container image signature') throw new Error(`critical.type is ${JSON.stringify(critical.type)}, not "cosign container image signature"`);
  const digest = critical.image?.['docker-manifest-digest'];
  if (typeof digest !== 'string' || !/^sha256:[0-9a-f]{64}$/.test(digest)) throw new Error('critical.image.docker-manifest-digest is not a sha256 digest');
  const reference = critical.identity?.['docker-reference'];
  return { digest, dockerReference: typeof reference === 'string' ? reference : null };
}

const PROOF_TEXT: Record<Proof['by'], (proof: Proof) => string> = {
  'image-signature': (p) => `images/${p.image}/`,
  'platform-signature': (p) => `a platform manifest of images/${p.image}/ (image index ${p.index ?? '?'}), its own signature verified`,
  'index-signature': (p) => `a platform manifest of images/${p.image}/, listed by the image index ${p.index ?? '?'} whose signature verified`,
};

/** Is the digest the deployment record names covered by a verified signature? A finding either way. */
async function deploymentFindings(context: VerifyContext, proven: ReadonlyMap<string, Proof>): Promise<FindingDraft[]> {
  const check = imageSignaturesCheck;
  const path = RECORD_PATHS.deployment;
  const file = context.bundle.files.find((f) => f.path === path);
  if (file === undefined || file.size > 16 * 1024 * 1024) return []; // the records check reports a missing or oversized record
  const reading = readJsonDocument(await readFile(join(context.bundle.root, ...path.split('/'))), deploymentRecordSchema);
  if (!reading.ok) return []; // likewise a malformed one
  const deployed = reading.value.image;
  const subject: Subject = { kind: 'file', path };
  const match = proven.get(deployed.digest);
  if (match === undefined) {
    return [
      findingOf(check, 'SIG-IMAGE-DEPLOYED-UNPROVEN', subject, `${path} says ${deployed.name}@${deployed.digest} was deployed, but no verified signature of an image in the bundle covers that digest`, {
        deployedImage: deployed.name,
        deployedDigest: deployed.digest,
        verifiedDigests: [...proven.keys()].join(', ') || null,
      }),
    ];
  }
  return [
    findingOf(check, 'SIG-IMAGE-DEPLOYED-PROVEN', subject, `The deployed image ${deployed.name}@${deployed.digest} is ${PROOF_TEXT[match.by](match)}, signed by ${match.signer}`, {
      deployedImage: deployed.name,
      deployedDigest: deployed.digest,
      image: match.image,
      provenBy: match.by,
      platformOf: match.index,
      signerIdentity: match.signer,
      dockerReference: match.dockerReference,
      referenceMatches: match.dockerReference === null ? null : match.dockerReference === deployed.name,
    }),
  ];
}
