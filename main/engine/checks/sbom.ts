// SBOM: every SBOM under sbom/ is valid per its format's schema and rules, and together they list each
// model artefact of the manifest with the sha256 the manifest has for it, so the composition record is
// about the very model being released.

import type { FindingId } from '../../../shared/finding-ids.js';
import { readSbomFile, SbomFileError } from '../formats/detect.js';
import { invalidFormatNote, SBOM_FORMAT_LABELS, sha256Of, type Sbom, type SbomProblemKind } from '../formats/sbom-model.js';
import type { Manifest } from '../schemas/manifest.js';
import { summariseIssues } from '../schemas/validate.js';
import { findingOf, type Check, type FindingDraft, type VerifyContext } from './check.js';
import { describeComponent, listModelArtefacts, modelArtefacts } from './model-listing.js';

export const SBOM_DIRECTORY = 'sbom/';

const PROBLEM_FINDINGS: Readonly<Record<SbomProblemKind, FindingId>> = {
  unreadable: 'SBOM-UNREADABLE',
  syntax: 'SBOM-UNPARSEABLE',
  'duplicate-key': 'SBOM-DUPLICATE-KEY',
  'unsafe-xml': 'SBOM-XML-UNSAFE',
  'unknown-format': 'SBOM-FORMAT-UNKNOWN',
  'unsupported-version': 'SBOM-VERSION-UNSUPPORTED',
  schema: 'SBOM-SCHEMA-INVALID',
  'dangling-reference': 'SBOM-REFERENCE-DANGLING',
};

export const sbomCheck: Check = {
  prefix: 'SBOM',
  title: 'Software bill of materials',
  obligation:
    'Art. 11 and Annex IV technical documentation (2)(a), (d): the release documents the components, libraries and datasets the model was built from, about the exact model artefacts released; Art. 15 cybersecurity needs that inventory.',
  findings: {
    'SBOM-VALID': { status: 'pass', severity: 'info', when: 'An SBOM under sbom/ is valid per its format (schema, enumerations, references).' },
    'SBOM-MODEL-LISTED': { status: 'pass', severity: 'info', when: 'A model artefact of the manifest is listed in an SBOM with the sha256 the manifest has.' },
    'SBOM-MISSING': { status: 'fail', severity: 'high', when: 'The bundle has no SBOM under sbom/.' },
    'SBOM-UNREADABLE': { status: 'fail', severity: 'high', when: 'An SBOM file cannot be read or is over the size limit.' },
    'SBOM-UNPARSEABLE': { status: 'fail', severity: 'high', when: 'An SBOM is not UTF-8, not well-formed JSON/XML, or not well-formed tag-value.' },
    'SBOM-DUPLICATE-KEY': { status: 'fail', severity: 'high', when: 'A JSON SBOM repeats a key in an object (two parsers could read two different documents).' },
    'SBOM-XML-UNSAFE': { status: 'fail', severity: 'high', when: 'An XML SBOM carries a DOCTYPE or entity declaration (external entities, remote DTDs, entity expansion).' },
    'SBOM-FORMAT-UNKNOWN': { status: 'fail', severity: 'high', when: 'A file under sbom/ is not CycloneDX (JSON, XML) or SPDX (2 JSON, 2 tag-value, 3 JSON-LD).' },
    'SBOM-VERSION-UNSUPPORTED': { status: 'fail', severity: 'high', when: 'An SBOM declares a spec version Assay does not validate (CycloneDX 1.2-1.7, SPDX 2.2/2.3, 3.0.x are supported).' },
    'SBOM-SCHEMA-INVALID': { status: 'fail', severity: 'high', when: 'An SBOM breaks its schema: a required field missing, a wrong enumeration value, a malformed identifier.' },
    'SBOM-REFERENCE-DANGLING': { status: 'fail', severity: 'high', when: 'An SBOM references an id (bom-ref, SPDXID, spdxId) that no element of the document has, or reuses one.' },
    'SBOM-MODEL-HASH-MISMATCH': { status: 'fail', severity: 'critical', when: 'An SBOM lists a component for a model artefact with another sha256 than the manifest has.' },
    'SBOM-MODEL-NOT-LISTED': { status: 'fail', severity: 'high', when: 'No valid SBOM lists a component with the sha256 the manifest has for a model artefact.' },
    'SBOM-NOT-RUN': { status: 'not-run', severity: 'high', when: 'The manifest could not be read, so the model artefacts to look for are unknown.' },
  },
  async run(context: VerifyContext): Promise<readonly FindingDraft[]> {
    if (context.manifest.state !== 'ok') {
      return [findingOf(this, 'SBOM-NOT-RUN', { kind: 'bundle', ref: context.bundle.source }, 'The manifest is missing or invalid, so the SBOMs cannot be tied to the model artefacts.')];
    }
    const manifest = context.manifest.value;
    const files = context.bundle.files.filter((f) => f.path.startsWith(SBOM_DIRECTORY)).sort((a, b) => (a.path < b.path ? -1 : 1));
    if (files.length === 0) {
      return [findingOf(this, 'SBOM-MISSING', { kind: 'bundle', ref: context.bundle.source }, 'The bundle has no SBOM under sbom/: what the model was built from is undocumented.')];
    }
    const findings: FindingDraft[] = [];
    const valid: { path: string; sbom: Sbom }[] = [];
    for (const file of files) {
      const subject = { kind: 'file', path: file.path } as const;
      let reading;
      try {
        reading = await readSbomFile(file.absPath);
      } catch (error) {
        if (!(error instanceof SbomFileError)) throw error;
        findings.push(findingOf(this, 'SBOM-UNREADABLE', subject, `${file.path}: ${error.message}`));
        continue;
      }
      if (!reading.ok) {
        findings.push(
          findingOf(this, PROBLEM_FINDINGS[reading.kind], subject, `${file.path}${invalidFormatNote(reading)} is invalid: ${summariseIssues(reading.issues)}`, {
            format: reading.format,
            specVersion: reading.specVersion,
            issues: reading.issues.length,
          }),
        );
        continue;
      }
      valid.push({ path: file.path, sbom: reading.sbom });
      findings.push(
        findingOf(this, 'SBOM-VALID', subject, `${file.path} is a valid ${SBOM_FORMAT_LABELS[reading.sbom.format]} ${reading.sbom.specVersion} SBOM with ${reading.sbom.components.length} components`, {
          format: reading.sbom.format,
          specVersion: reading.sbom.specVersion,
          components: reading.sbom.components.length,
        }),
      );
    }
    if (valid.length > 0) findings.push(...modelFindings(manifest, valid));
    return findings;
  },
};

/** For each model artefact: listed with its sha256 somewhere, or a named component with another hash, or absent. */
function modelFindings(manifest: Manifest, sboms: readonly { path: string; sbom: Sbom }[]): FindingDraft[] {
  const listings = listModelArtefacts(
    modelArtefacts(manifest),
    manifest.model.name,
    sboms.map(({ path, sbom }) => ({ source: path, sbom })),
  );
  return listings.flatMap((listing): FindingDraft[] => {
    const { path: artefact, sha256: expected } = listing.artefact;
    const subject = { kind: 'file', path: artefact } as const;
    switch (listing.kind) {
      case 'listed': {
        const first = listing.listed[0]!;
        return [
          findingOf(sbomCheck, 'SBOM-MODEL-LISTED', subject, `${artefact} is listed in ${first.source} as ${describeComponent(first.component)} with sha256 ${expected}`, {
            sbom: first.source,
            component: first.component.ref,
            sha256: expected,
          }),
        ];
      }
      case 'other-hash':
        return listing.claimed.map(({ source: path, component }) => {
          const actual = sha256Of(component).join(', ');
          return findingOf(sbomCheck, 'SBOM-MODEL-HASH-MISMATCH', subject, `${path} lists ${describeComponent(component)} with sha256 ${actual}; the manifest has ${expected} for ${artefact}`, {
            sbom: path,
            component: component.ref,
            sbomSha256: actual,
            manifestSha256: expected,
          });
        });
      case 'absent': {
        const without = listing.claimedWithoutHash.length > 0 ? ` (${listing.claimedWithoutHash.map(({ component }) => describeComponent(component)).join(', ')} has no sha256)` : '';
        return [
          findingOf(
            sbomCheck,
            'SBOM-MODEL-NOT-LISTED',
            subject,
            `No SBOM lists ${artefact} with sha256 ${expected}${without}; model components present: ${listing.models.map(describeComponent).join(', ') || 'none'}`,
            { manifestSha256: expected, sboms: sboms.length, modelComponents: listing.models.length },
          ),
        ];
      }
    }
  });
}
