// The verification policy (`policy.yaml`, `assay/policy/v1`): the assessor's statement of who must have
// signed what, and the limits applied while reading a bundle. See docs/trust-and-policy.md.

import { z } from 'zod';

export const POLICY_VERSION = 'assay/policy/v1';

/** A trust-store key name: the file stem of `trust/keys/<name>.pem`. */
export const keyName = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'a key name: lowercase letters, digits, ".", "_" or "-"');

/** A trust-store Sigstore trusted root name: the file stem of `trust/sigstore/<name>.json`, or `public-good`. */
export const trustedRootName = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'a trusted root name: lowercase letters, digits, ".", "_" or "-"');

/** The name under which the embedded Sigstore public-good trusted root is always available. */
export const PUBLIC_GOOD_ROOT_NAME = 'public-good';

export const keySigner = z
  .object({ key: keyName.describe('name of a public key in the trust store (trust/keys/<name>.pem)') })
  .strict();

/** Identity and issuer are compared as whole strings, exactly: never a substring, prefix or pattern. */
export const certificateSigner = z
  .object({
    certificateIdentity: z
      .string()
      .min(1)
      .max(2048)
      .regex(new RegExp(String.raw`^[^\s\u0000-\u001f\u007f]+$`), 'an identity without spaces or control characters')
      .describe('the exact subject alternative name of the signing certificate (a URI or an email address)'),
    certificateOidcIssuer: z
      .string()
      .max(2048)
      .regex(new RegExp(String.raw`^https?://[^\s\u0000-\u001f\u007f]+$`), 'an http(s) URL')
      .describe('the exact OIDC issuer recorded in the certificate (Fulcio extension 1.3.6.1.4.1.57264.1.8)'),
    trustedRoot: trustedRootName.describe(`the Sigstore trusted root the certificate, log entry and timestamps must chain to: trust/sigstore/<name>.json, or "${PUBLIC_GOOD_ROOT_NAME}"`),
  })
  .strict();

/** A signer: a named key, or a certificate identity with its issuer and the trusted root of its instance. */
export const signerRequirement = z.union([keySigner, certificateSigner], { error: signerError });

function signerError(issue: { code?: string; input?: unknown; errors?: readonly (readonly { path: readonly PropertyKey[]; message: string }[])[] }): string | undefined {
  if (issue.code !== 'invalid_union' || issue.errors === undefined) return undefined;
  const input = issue.input;
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return 'a signer: { key: NAME } or { certificateIdentity, certificateOidcIssuer, trustedRoot }';
  const branch = Object.hasOwn(input, 'key') ? issue.errors[0] : issue.errors[1];
  const details = (branch ?? []).map((i) => `${i.path.length === 0 ? '' : `${i.path.map(String).join('.')}: `}${i.message}`).join('; ');
  return `a signer is { key: NAME } or { certificateIdentity, certificateOidcIssuer, trustedRoot }${details === '' ? '' : ` (${details})`}`;
}

const imageName = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,127}$/, 'an image directory name under images/: lowercase letters, digits, ".", "_" or "-"');

export const imagesPolicySchema = z
  .object({
    signer: signerRequirement.optional().describe('who must sign every image under images/ that `named` does not list'),
    named: z
      .array(z.object({ name: imageName.describe('images/<name>/ must exist and be signed by this signer'), signer: signerRequirement }).strict())
      .default([]),
  })
  .strict()
  .superRefine((value, ctx) => unique(value.named.map((n) => n.name), ctx, 'named', 'name', 'image'));

export const attestationsPolicySchema = z
  .object({
    signer: signerRequirement.optional().describe('who must sign attestations whose predicate type `predicateTypes` does not list'),
    predicateTypes: z
      .array(
        z
          .object({
            predicateType: z.string().min(1).max(1000).describe('the in-toto predicate type, compared exactly'),
            signer: signerRequirement.optional().describe('default: attestations.signer'),
            requiredForImages: z.boolean().default(false).describe('every image must carry a verified attestation of this predicate type'),
          })
          .strict(),
      )
      .default([]),
  })
  .strict()
  .superRefine((value, ctx) => {
    unique(value.predicateTypes.map((p) => p.predicateType), ctx, 'predicateTypes', 'predicateType', 'predicate type');
    value.predicateTypes.forEach((p, i) => {
      if (p.signer === undefined && value.signer === undefined) ctx.addIssue({ code: 'custom', path: ['predicateTypes', i, 'signer'], message: `no signer for ${p.predicateType} and no attestations.signer default` });
    });
  });

function unique(values: readonly string[], ctx: z.RefinementCtx, list: string, field: string, what: string): void {
  const seen = new Set<string>();
  values.forEach((v, i) => {
    if (seen.has(v)) ctx.addIssue({ code: 'custom', path: field === '' ? [list, i] : [list, i, field], message: `${what} ${v} is listed twice` });
    seen.add(v);
  });
}

// Supply-chain sections (docs/supply-chain.md). Provenance and scan statements are Sigstore bundles or
// DSSE envelopes: signed by a key of the trust store, or keyless by a certificate identity.

export const provenancePolicySchema = z
  .object({
    signer: signerRequirement.optional().describe('who must sign SLSA provenance (a key, or a certificate identity for keyless provenance such as slsa-github-generator writes); default: the manifest signer'),
    builderIds: z.array(z.string().min(1).max(2048)).min(1).describe('trusted builder ids (v1 runDetails.builder.id, v0.2 builder.id), compared exactly'),
  })
  .strict();

/** The kinds of security scan a policy can require; each is read from scans/<kind>/ (docs/supply-chain.md). */
export const SCAN_KINDS = ['static-analysis', 'dependency-analysis', 'container-image', 'iac'] as const;
export type ScanKind = (typeof SCAN_KINDS)[number];

export const scansPolicySchema = z
  .object({
    required: z
      .array(z.enum(SCAN_KINDS))
      .min(1)
      .describe('the scans a release needs, each read from scans/<kind>/ and required to cover the released image (source scans: or the built commit)'),
    signer: signerRequirement.optional().describe('who must sign scan results carried as in-toto vulnerability statements; default: the manifest signer'),
    requireSigned: z
      .boolean()
      .default(false)
      .describe('a required scan counts only as an in-toto vulnerability statement verified against the signer; unsigned SARIF and CycloneDX results are still read for vulnerabilities'),
  })
  .strict()
  .superRefine((value, ctx) => unique(value.required, ctx, 'required', '', 'scan kind'));

export const sourceCommitPolicySchema = z
  .object({
    signers: z.array(keyName).min(1).describe('developer keys (trust/developers/<name>.pub or .asc), one of which must have signed the built commit'),
  })
  .strict();

export const inTotoPolicySchema = z
  .object({
    steps: z
      .array(
        z
          .object({
            name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'an in-toto step name').describe('the link\'s step name'),
            keys: z.array(keyName).min(1).describe('trust store keys (trust/keys/<name>.pem) allowed to sign this step\'s link'),
            threshold: z.number().int().min(1).default(1).describe('how many of those keys must have signed a link for the step'),
          })
          .strict(),
      )
      .min(1),
  })
  .strict();

export const archiveLimitsSchema = z
  .object({
    maxEntries: z.number().int().positive().max(10_000_000).default(50_000),
    maxTotalBytes: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).default(64 * 1024 ** 3),
    maxCompressionRatio: z.number().positive().max(1_000_000).default(200),
  })
  .strict();

export const policySchema = z
  .object({
    apiVersion: z.literal(POLICY_VERSION),
    manifest: z.object({ signer: signerRequirement.describe('who must have signed manifest.json') }).strict(),
    images: imagesPolicySchema.optional().describe('who must sign the container images under images/; without it, images cannot be verified'),
    attestations: attestationsPolicySchema.optional().describe('who must sign attestations (image attestations and attestations/), by predicate type'),
    logs: z
      .object({ checkpointSigner: keySigner.describe('the key that signs log checkpoints') })
      .strict()
      .optional()
      .describe('default: the manifest signer, when that is a key'),
    archive: archiveLimitsSchema.default({ maxEntries: 50_000, maxTotalBytes: 64 * 1024 ** 3, maxCompressionRatio: 200 }),
    provenance: provenancePolicySchema.optional().describe('SLSA provenance the release must carry: its signer and the trusted builders'),
    sourceCommit: sourceCommitPolicySchema.optional().describe('the built commit must be carried (source/commit.git) and signed by one of these developers'),
    scans: scansPolicySchema.optional().describe('the security scans the release must carry; critical and high vulnerabilities must be marked not_affected or fixed by VEX'),
    inToto: inTotoPolicySchema.optional().describe('in-toto link metadata the release must carry, by step, with the keys that may sign each'),
  })
  .strict();

export type Policy = z.infer<typeof policySchema>;
export type SignerRequirement = z.infer<typeof signerRequirement>;
export type KeySigner = z.infer<typeof keySigner>;
export type CertificateSigner = z.infer<typeof certificateSigner>;

export function isKeySigner(signer: SignerRequirement): signer is KeySigner {
  return 'key' in signer;
}

/** The key that signs log checkpoints: `logs.checkpointSigner`, else the manifest's key signer; null when neither names one. */
export function checkpointKeyName(policy: Policy): string | null {
  if (policy.logs !== undefined) return policy.logs.checkpointSigner.key;
  return isKeySigner(policy.manifest.signer) ? policy.manifest.signer.key : null;
}

/** Every signer the policy names, with where it names it (for resolving them against the trust store). */
export function policySigners(policy: Policy): { readonly where: string; readonly signer: SignerRequirement }[] {
  const out: { where: string; signer: SignerRequirement }[] = [{ where: 'manifest.signer', signer: policy.manifest.signer }];
  if (policy.images?.signer !== undefined) out.push({ where: 'images.signer', signer: policy.images.signer });
  policy.images?.named.forEach((n, i) => out.push({ where: `images.named[${i}].signer`, signer: n.signer }));
  if (policy.attestations?.signer !== undefined) out.push({ where: 'attestations.signer', signer: policy.attestations.signer });
  policy.attestations?.predicateTypes.forEach((p, i) => {
    if (p.signer !== undefined) out.push({ where: `attestations.predicateTypes[${i}].signer`, signer: p.signer });
  });
  if (policy.logs !== undefined) out.push({ where: 'logs.checkpointSigner', signer: policy.logs.checkpointSigner });
  if (policy.provenance?.signer !== undefined) out.push({ where: 'provenance.signer', signer: policy.provenance.signer });
  if (policy.scans?.signer !== undefined) out.push({ where: 'scans.signer', signer: policy.scans.signer });
  return out;
}

/** One line naming a signer, for messages: `key "pipeline"` or `"<identity>" via <issuer> (trusted root "sample")`. */
export function describeSigner(signer: SignerRequirement): string {
  if (isKeySigner(signer)) return `key "${signer.key}"`;
  return `${JSON.stringify(signer.certificateIdentity)} via ${signer.certificateOidcIssuer} (trusted root "${signer.trustedRoot}")`;
}
export type ArchiveLimits = z.infer<typeof archiveLimitsSchema>;

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = archiveLimitsSchema.parse({});
