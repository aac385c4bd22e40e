// The verification policy (`policy.yaml`, `assay/policy/v1`): the assessor's statement of who must have
// signed what, and the limits applied while reading a bundle. See docs/trust-and-policy.md.

import { z } from 'zod';

export const POLICY_VERSION = 'assay/policy/v1';

/** A trust-store key name: the file stem of `trust/keys/<name>.pem`. */
export const keyName = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'a key name: lowercase letters, digits, ".", "_" or "-"');

export const signerRequirement = z
  .object({ key: keyName.describe('name of a public key in the trust store') })
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
  })
  .strict();

export type Policy = z.infer<typeof policySchema>;
export type SignerRequirement = z.infer<typeof signerRequirement>;
export type ArchiveLimits = z.infer<typeof archiveLimitsSchema>;

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = archiveLimitsSchema.parse({});
