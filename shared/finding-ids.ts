// Every finding id Assay can emit, as one union so that tests assert ids and messages can change freely.
// Ids are a contract: never rename one; add new ones and document them in the check catalogue.

export const FINDING_IDS = [
  // ENGINE: a check that threw instead of returning findings (a bug; makes the verdict INCOMPLETE)
  'ENGINE-CHECK-CRASHED',
  // INT: bundle loading and file integrity
  'INT-FILES-VERIFIED',
  'INT-MANIFEST-MISSING',
  'INT-MANIFEST-UNPARSEABLE',
  'INT-MANIFEST-DUPLICATE-KEY',
  'INT-MANIFEST-SCHEMA',
  'INT-FILE-MISSING',
  'INT-FILE-SIZE-MISMATCH',
  'INT-FILE-HASH-MISMATCH',
  'INT-FILE-UNLISTED',
  'INT-FILE-UNREADABLE',
  'INT-FILE-NOT-REGULAR',
  'INT-ARCHIVE-UNSAFE-PATH',
  'INT-ARCHIVE-LINK',
  'INT-ARCHIVE-SPECIAL-FILE',
  'INT-ARCHIVE-DUPLICATE-ENTRY',
  'INT-ARCHIVE-TOO-MANY-ENTRIES',
  'INT-ARCHIVE-TOO-LARGE',
  'INT-ARCHIVE-RATIO',
  'INT-ARCHIVE-CORRUPT',
  // SIG: signatures (the manifest signature in v1 of the foundation)
  'SIG-MANIFEST-VERIFIED',
  'SIG-MANIFEST-SIGNATURE-MISSING',
  'SIG-MANIFEST-SIGNATURE-MALFORMED',
  'SIG-MANIFEST-SIGNATURE-INVALID',
  'SIG-MANIFEST-SIGNER-UNTRUSTED',
  'SIG-MANIFEST-NO-TRUST',
  // SBOM: software bills of materials under sbom/ (CycloneDX, SPDX 2, SPDX 3)
  'SBOM-VALID',
  'SBOM-MODEL-LISTED',
  'SBOM-MISSING',
  'SBOM-UNREADABLE',
  'SBOM-UNPARSEABLE',
  'SBOM-DUPLICATE-KEY',
  'SBOM-XML-UNSAFE',
  'SBOM-FORMAT-UNKNOWN',
  'SBOM-VERSION-UNSUPPORTED',
  'SBOM-SCHEMA-INVALID',
  'SBOM-REFERENCE-DANGLING',
  'SBOM-MODEL-HASH-MISMATCH',
  'SBOM-MODEL-NOT-LISTED',
  'SBOM-NOT-RUN',
] as const;

export type FindingId = (typeof FINDING_IDS)[number];

export function isFindingId(value: string): value is FindingId {
  return (FINDING_IDS as readonly string[]).includes(value);
}
