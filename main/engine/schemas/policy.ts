// The verification policy (`policy.yaml`, `assay/policy/v1`): the assessor's statement of who must have
// signed what, and the limits applied while reading a bundle. See docs/trust-and-policy.md.

import { z } from 'zod';

export const POLICY_VERSION = 'assay/policy/v1';

/** A trust-store key name: the file stem of `trust/keys/<name>.pem`. */
export const keyName = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'a key name: lowercase letters, digits, ".", "_" or "-"');

export const signerRequirement = z
  .object({ key: keyName.describe('name of a public key in the trust store') })
  .strict();

// Supply-chain sections (docs/supply-chain.md). Their signers are keys of the trust store: provenance
// attestations are DSSE envelopes or Sigstore bundles signed by the pipeline's key.
const supplyChainSigner = z.object({ key: keyName.describe('name of a public key in the trust store (trust/keys/<name>.pem)') }).strict();

export const provenancePolicySchema = z
  .object({
    signer: supplyChainSigner.optional().describe('who must sign SLSA provenance; default: the manifest signer, when that is a key'),
    builderIds: z.array(z.string().min(1).max(2048)).min(1).describe('trusted builder ids (v1 runDetails.builder.id, v0.2 builder.id), compared exactly'),
  })
  .strict();

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
    archive: archiveLimitsSchema.default({ maxEntries: 50_000, maxTotalBytes: 64 * 1024 ** 3, maxCompressionRatio: 200 }),
    provenance: provenancePolicySchema.optional().describe('SLSA provenance the release must carry: its signer and the trusted builders'),
    sourceCommit: sourceCommitPolicySchema.optional().describe('the built commit must be carried (source/commit.git) and signed by one of these developers'),
    inToto: inTotoPolicySchema.optional().describe('in-toto link metadata the release must carry, by step, with the keys that may sign each'),
  })
  .strict();

export type Policy = z.infer<typeof policySchema>;
export type SignerRequirement = z.infer<typeof signerRequirement>;
export type ArchiveLimits = z.infer<typeof archiveLimitsSchema>;

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = archiveLimitsSchema.parse({});
