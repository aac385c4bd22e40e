// SPDX 2.2 / 2.3 tag-value syntax (spec annex "tag:value" format): `Tag: value` lines, `<text>...</text>`
// for multi-line values, `#` comments. Read into the JSON shape of the same document, then validated and
// mapped by spdx2.ts. A tag the version does not define, or a single-valued tag given twice, is an issue.

import { invalid, type SbomReading } from './sbom-model.js';
import { readSpdx2Value } from './spdx2.js';

type Section = 'document' | 'package' | 'file' | 'snippet' | 'licence' | 'annotation' | 'review';
type Obj = Record<string, unknown>;

interface TagRule {
  readonly section: Section | 'any';
  /** Field name in the JSON shape; `null` for tags that are read but not kept (deprecated ones). */
  readonly key: string | null;
  readonly multi?: boolean;
  readonly parse?: (value: string, line: number, issues: string[]) => unknown;
}

const checksum = (value: string, line: number, issues: string[]): unknown => {
  const m = /^([A-Za-z0-9-]+):\s*(\S+)$/.exec(value);
  if (m === null) {
    issues.push(`line ${line}: checksum "${value}" is not ALGORITHM: value`);
    return undefined;
  }
  return { algorithm: m[1], checksumValue: m[2] };
};

const bool = (value: string, line: number, issues: string[]): unknown => {
  if (value === 'true') return true;
  if (value === 'false') return false;
  issues.push(`line ${line}: "${value}" is not true or false`);
  return undefined;
};

const TAGS: Readonly<Record<string, TagRule>> = {
  SPDXVersion: { section: 'document', key: 'spdxVersion' },
  DataLicense: { section: 'document', key: 'dataLicense' },
  DocumentName: { section: 'document', key: 'name' },
  DocumentNamespace: { section: 'document', key: 'documentNamespace' },
  DocumentComment: { section: 'document', key: 'comment' },
  ExternalDocumentRef: {
    section: 'document',
    key: 'externalDocumentRefs',
    multi: true,
    parse: (value, line, issues) => {
      const m = /^(\S+)\s+(\S+)\s+(.+)$/.exec(value);
      if (m === null) {
        issues.push(`line ${line}: ExternalDocumentRef "${value}" is not "DocumentRef-id URI ALGORITHM: value"`);
        return undefined;
      }
      return { externalDocumentId: m[1], spdxDocument: m[2], checksum: checksum(m[3]!, line, issues) };
    },
  },
  LicenseListVersion: { section: 'document', key: 'creationInfo.licenseListVersion' },
  Creator: { section: 'document', key: 'creationInfo.creators', multi: true },
  Created: { section: 'document', key: 'creationInfo.created' },
  CreatorComment: { section: 'document', key: 'creationInfo.comment' },
  PackageName: { section: 'package', key: 'name' },
  PackageVersion: { section: 'package', key: 'versionInfo' },
  PackageFileName: { section: 'package', key: 'packageFileName' },
  PackageSupplier: { section: 'package', key: 'supplier' },
  PackageOriginator: { section: 'package', key: 'originator' },
  PackageDownloadLocation: { section: 'package', key: 'downloadLocation' },
  FilesAnalyzed: { section: 'package', key: 'filesAnalyzed', parse: bool },
  PackageVerificationCode: {
    section: 'package',
    key: 'packageVerificationCode',
    parse: (value) => {
      const m = /^(\S+)(?:\s*\(excludes:\s*(.*)\))?$/.exec(value);
      return m === null ? { packageVerificationCodeValue: value } : { packageVerificationCodeValue: m[1], ...(m[2] ? { packageVerificationCodeExcludedFiles: [m[2].trim()] } : {}) };
    },
  },
  PackageChecksum: { section: 'package', key: 'checksums', multi: true, parse: checksum },
  PackageHomePage: { section: 'package', key: 'homepage' },
  PackageSourceInfo: { section: 'package', key: 'sourceInfo' },
  PackageLicenseConcluded: { section: 'package', key: 'licenseConcluded' },
  PackageLicenseInfoFromFiles: { section: 'package', key: 'licenseInfoFromFiles', multi: true },
  PackageLicenseDeclared: { section: 'package', key: 'licenseDeclared' },
  PackageLicenseComments: { section: 'package', key: 'licenseComments' },
  PackageCopyrightText: { section: 'package', key: 'copyrightText' },
  PackageSummary: { section: 'package', key: 'summary' },
  PackageDescription: { section: 'package', key: 'description' },
  PackageComment: { section: 'package', key: 'comment' },
  PackageAttributionText: { section: 'package', key: 'attributionTexts', multi: true },
  ExternalRef: {
    section: 'package',
    key: 'externalRefs',
    multi: true,
    parse: (value, line, issues) => {
      const m = /^(\S+)\s+(\S+)\s+(\S+)$/.exec(value);
      if (m === null) {
        issues.push(`line ${line}: ExternalRef "${value}" is not "CATEGORY type locator"`);
        return undefined;
      }
      return { referenceCategory: m[1], referenceType: m[2], referenceLocator: m[3] };
    },
  },
  ExternalRefComment: { section: 'package', key: null },
  PrimaryPackagePurpose: { section: 'package', key: 'primaryPackagePurpose' },
  ReleaseDate: { section: 'package', key: 'releaseDate' },
  BuiltDate: { section: 'package', key: 'builtDate' },
  ValidUntilDate: { section: 'package', key: 'validUntilDate' },
  FileName: { section: 'file', key: 'fileName' },
  FileType: { section: 'file', key: 'fileTypes', multi: true },
  FileChecksum: { section: 'file', key: 'checksums', multi: true, parse: checksum },
  LicenseConcluded: { section: 'file', key: 'licenseConcluded' },
  LicenseInfoInFile: { section: 'file', key: 'licenseInfoInFiles', multi: true },
  LicenseComments: { section: 'file', key: 'licenseComments' },
  FileCopyrightText: { section: 'file', key: 'copyrightText' },
  FileComment: { section: 'file', key: 'comment' },
  FileNotice: { section: 'file', key: 'noticeText' },
  FileContributor: { section: 'file', key: 'fileContributors', multi: true },
  FileAttributionText: { section: 'file', key: 'attributionTexts', multi: true },
  FileDependency: { section: 'file', key: null, multi: true },
  ArtifactOfProjectName: { section: 'file', key: null, multi: true },
  ArtifactOfProjectHomePage: { section: 'file', key: null, multi: true },
  ArtifactOfProjectURI: { section: 'file', key: null, multi: true },
  SnippetSPDXID: { section: 'snippet', key: 'SPDXID' },
  SnippetFromFileSPDXID: { section: 'snippet', key: 'snippetFromFile' },
  SnippetByteRange: { section: 'snippet', key: 'ranges', multi: true, parse: (value) => ({ byteRange: value }) },
  SnippetLineRange: { section: 'snippet', key: 'ranges', multi: true, parse: (value) => ({ lineRange: value }) },
  SnippetLicenseConcluded: { section: 'snippet', key: 'licenseConcluded' },
  LicenseInfoInSnippet: { section: 'snippet', key: 'licenseInfoInSnippets', multi: true },
  SnippetLicenseComments: { section: 'snippet', key: 'licenseComments' },
  SnippetCopyrightText: { section: 'snippet', key: 'copyrightText' },
  SnippetComment: { section: 'snippet', key: 'comment' },
  SnippetName: { section: 'snippet', key: 'name' },
  SnippetAttributionText: { section: 'snippet', key: 'attributionTexts', multi: true },
  LicenseID: { section: 'licence', key: 'licenseId' },
  ExtractedText: { section: 'licence', key: 'extractedText' },
  LicenseName: { section: 'licence', key: 'name' },
  LicenseCrossReference: { section: 'licence', key: 'seeAlsos', multi: true },
  LicenseComment: { section: 'licence', key: 'comment' },
  Annotator: { section: 'annotation', key: 'annotator' },
  AnnotationDate: { section: 'annotation', key: 'annotationDate' },
  AnnotationType: { section: 'annotation', key: 'annotationType' },
  SPDXREF: { section: 'annotation', key: 'spdxElementId' },
  AnnotationComment: { section: 'annotation', key: 'comment' },
  Reviewer: { section: 'review', key: 'reviewer' },
  ReviewDate: { section: 'review', key: 'reviewDate' },
  ReviewComment: { section: 'review', key: 'comment' },
};

/** Tags that open a new section (the tag itself is the first field of the new element). */
const OPENERS: Readonly<Partial<Record<string, Section>>> = {
  PackageName: 'package',
  FileName: 'file',
  SnippetSPDXID: 'snippet',
  LicenseID: 'licence',
  Annotator: 'annotation',
  Reviewer: 'review',
};

/** Reads an SPDX 2 tag-value document (already decoded text). */
export function readSpdx2TagValue(text: string): SbomReading {
  const issues: string[] = [];
  const document: Obj = { creationInfo: {} };
  const packages: Obj[] = [];
  const files: Obj[] = [];
  const snippets: Obj[] = [];
  const licences: Obj[] = [];
  const annotations: Obj[] = [];
  const relationships: Obj[] = [];
  let section: Section = 'document';
  let current: Obj = document;
  let currentPackage: Obj | null = null;
  const seen = new Set<string>();

  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i += 1) {
    const lineNumber = i + 1;
    const line = lines[i]!;
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const m = /^([A-Za-z0-9]+):\s?(.*)$/.exec(line);
    if (m === null) {
      issues.push(`line ${lineNumber}: "${line.slice(0, 60)}" is not a "Tag: value" line`);
      continue;
    }
    const tag = m[1]!;
    let value = m[2]!.trim();
    if (value.startsWith('<text>')) {
      let body = value.slice('<text>'.length);
      while (!body.includes('</text>') && i + 1 < lines.length) body += `\n${lines[++i]!}`;
      const end = body.indexOf('</text>');
      if (end < 0) {
        issues.push(`line ${lineNumber}: <text> of ${tag} is never closed`);
        break;
      }
      value = body.slice(0, end);
    }
    if (tag === 'Relationship') {
      const r = /^(\S+)\s+(\S+)\s+(\S+)$/.exec(value);
      if (r === null) issues.push(`line ${lineNumber}: Relationship "${value}" is not "SPDXID TYPE SPDXID"`);
      else relationships.push({ spdxElementId: r[1], relationshipType: r[2], relatedSpdxElement: r[3] });
      continue;
    }
    if (tag === 'RelationshipComment') {
      const last = relationships.at(-1);
      if (last === undefined) issues.push(`line ${lineNumber}: RelationshipComment without a Relationship`);
      else last['comment'] = value;
      continue;
    }
    if (tag === 'SPDXID') {
      // SPDXID names the element of the section it appears in; the document's comes before any other.
      if (section !== 'document' && section !== 'package' && section !== 'file') issues.push(`line ${lineNumber}: SPDXID is not allowed in a ${section} section`);
      else if (current['SPDXID'] !== undefined) issues.push(`line ${lineNumber}: a second SPDXID for the same ${section}`);
      else {
        current['SPDXID'] = value;
        if (section === 'file' && currentPackage !== null && currentPackage['filesAnalyzed'] !== false) {
          // Files that follow a package in tag-value are that package's files (spec 2.3, annex tag:value).
          ((currentPackage['hasFiles'] ??= []) as unknown[]).push(value);
        }
      }
      continue;
    }
    const rule = TAGS[tag];
    if (rule === undefined) {
      issues.push(`line ${lineNumber}: unknown tag "${tag}"`);
      continue;
    }
    const opens = OPENERS[tag];
    if (opens !== undefined) {
      section = opens;
      current = {};
      seen.clear();
      if (opens === 'package') {
        packages.push(current);
        currentPackage = current;
      } else if (opens === 'file') files.push(current);
      else if (opens === 'snippet') snippets.push(current);
      else if (opens === 'licence') licences.push(current);
      else if (opens === 'annotation') annotations.push(current);
    } else if (rule.section !== section && rule.section !== 'any') {
      if (rule.section === 'document' && section !== 'document') {
        issues.push(`line ${lineNumber}: ${tag} belongs to the document creation section, before any package or file`);
      } else {
        issues.push(`line ${lineNumber}: ${tag} belongs to a ${rule.section} section, not a ${section} section`);
      }
      continue;
    }
    if (rule.key === null) continue;
    const parsed = rule.parse ? rule.parse(value, lineNumber, issues) : value;
    if (parsed === undefined) continue;
    const [target, key] = rule.key.startsWith('creationInfo.') ? [document['creationInfo'] as Obj, rule.key.slice('creationInfo.'.length)] : [current, rule.key];
    if (rule.multi) {
      ((target[key] ??= []) as unknown[]).push(parsed);
    } else {
      if (seen.has(rule.key)) issues.push(`line ${lineNumber}: ${tag} is given twice for the same ${section}`);
      seen.add(rule.key);
      target[key] = parsed;
    }
  }
  if (issues.length > 0) {
    const version = typeof document['spdxVersion'] === 'string' ? document['spdxVersion'].replace(/^SPDX-/, '') : null;
    return invalid('syntax', 'spdx2-tagvalue', version, issues);
  }
  if (packages.length > 0) document['packages'] = packages;
  if (files.length > 0) document['files'] = files;
  if (snippets.length > 0) document['snippets'] = snippets;
  if (licences.length > 0) document['hasExtractedLicensingInfos'] = licences;
  if (annotations.length > 0) document['annotations'] = annotations;
  if (relationships.length > 0) document['relationships'] = relationships;
  return readSpdx2Value(document, 'spdx2-tagvalue');
}
