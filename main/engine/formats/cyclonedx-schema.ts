// Schema validation of CycloneDX documents against the schemas that ship in @cyclonedx/cyclonedx-library:
// JSON through the library's own validator (ajv, remote schema loading disabled by the library), XML
// through xmllint compiled to WebAssembly with the library's XSDs (DESIGN §12: no per-ABI native build
// for Electron). The XML validator sees only files Assay hands it in memory, runs with --nonet, and is
// never given a document with a DOCTYPE: the reader refuses those before (see cyclonedx-xml.ts).

import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as ValidationTypes from '@cyclonedx/cyclonedx-library/Validation';
import { validateXML, memoryPages } from 'xmllint-wasm';

export const CYCLONEDX_JSON_VERSIONS = ['1.2', '1.3', '1.4', '1.5', '1.6', '1.7'] as const;
export const CYCLONEDX_XML_VERSIONS = ['1.2', '1.3', '1.4', '1.5', '1.6', '1.7'] as const;
export type CycloneDxVersion = (typeof CYCLONEDX_JSON_VERSIONS)[number];

export function isSupportedCycloneDxVersion(version: string): version is CycloneDxVersion {
  return (CYCLONEDX_JSON_VERSIONS as readonly string[]).includes(version);
}

const require = createRequire(import.meta.url);
const SCHEMA_DIR = join(dirname(require.resolve('@cyclonedx/cyclonedx-library/package.json')), 'res', 'schema');

type ValidationModule = typeof ValidationTypes;
type JsonValidatorInstance = InstanceType<ValidationModule['JsonValidator']>;
type LibraryVersion = ConstructorParameters<ValidationModule['JsonValidator']>[0];

let validationModule: Promise<ValidationModule> | undefined;
const jsonValidators = new Map<CycloneDxVersion, JsonValidatorInstance>();

/**
 * The library loads ajv-formats-draft2019 on first use, which requires Node's deprecated `punycode`
 * core module and prints DEP0040 on stderr. That one warning is muted while the validator loads and
 * compiles; every other warning passes through.
 */
async function withoutPunycodeWarning<T>(run: () => Promise<T>): Promise<T> {
  const original = process.emitWarning;
  process.emitWarning = function (this: NodeJS.Process, warning: string | Error, ...rest: unknown[]) {
    const code = typeof rest[0] === 'object' && rest[0] !== null ? (rest[0] as { code?: unknown }).code : rest[1];
    const text = typeof warning === 'string' ? warning : warning.message;
    if (code === 'DEP0040' || /`punycode` module is deprecated/.test(text)) return;
    return (original as (...args: unknown[]) => void).call(this, warning, ...rest);
  } as typeof process.emitWarning;
  try {
    return await run();
  } finally {
    process.emitWarning = original;
  }
}

/** Reasons the document breaks the CycloneDX JSON schema of `version`, one per entry; empty if valid. */
export async function validateCycloneDxJson(text: string, version: CycloneDxVersion): Promise<string[]> {
  // The library requires its optional validator plugins (ajv and its formats) when the module loads.
  validationModule ??= withoutPunycodeWarning(() => import('@cyclonedx/cyclonedx-library/Validation'));
  const Validation = await validationModule;
  let validator = jsonValidators.get(version);
  if (validator === undefined) {
    validator = new Validation.JsonValidator(version as LibraryVersion);
    jsonValidators.set(version, validator);
  }
  const v = validator;
  const errors = await withoutPunycodeWarning(() => v.validate(text));
  if (errors === null) return [];
  return (errors as readonly AjvError[]).map(describeAjvError);
}

interface AjvError {
  readonly instancePath?: string;
  readonly message?: string;
  readonly keyword?: string;
  readonly params?: Record<string, unknown>;
}

function describeAjvError(error: AjvError): string {
  const where = error.instancePath === undefined || error.instancePath === '' ? '(root)' : error.instancePath;
  const params = error.params ?? {};
  let detail = '';
  if (error.keyword === 'enum' && Array.isArray(params['allowedValues'])) detail = ` (allowed: ${(params['allowedValues'] as unknown[]).slice(0, 12).join(', ')})`;
  else if (error.keyword === 'additionalProperties' && typeof params['additionalProperty'] === 'string') detail = ` (${params['additionalProperty']})`;
  return `${where}: ${error.message ?? error.keyword ?? 'invalid'}${detail}`;
}

const xsdCache = new Map<string, Promise<string>>();

function schemaFile(name: string): Promise<string> {
  let cached = xsdCache.get(name);
  if (cached === undefined) {
    cached = readFile(join(SCHEMA_DIR, name), 'utf8');
    xsdCache.set(name, cached);
  }
  return cached;
}

/**
 * Reasons the XML document breaks the CycloneDX XSD of `version`; empty if valid. The caller has
 * already refused DOCTYPEs; xmllint additionally runs without network access (--nonet) and without
 * entity substitution (no --noent), over an in-memory file system holding only the document and XSDs.
 */
export async function validateCycloneDxXml(text: string, version: CycloneDxVersion): Promise<string[]> {
  const [bomXsd, spdxXsd] = await Promise.all([schemaFile(`bom-${version}.SNAPSHOT.xsd`), schemaFile('spdx.SNAPSHOT.xsd')]);
  // WebAssembly memory for libxml2's tree plus the schema: a few times the document, at least 64 MiB.
  const pages = Math.min(memoryPages.max, Math.max(64 * memoryPages.MiB, Math.ceil((Buffer.byteLength(text) * 12) / 65536)));
  const result = await validateXML({
    xml: { fileName: 'document.xml', contents: text },
    schema: { fileName: `bom-${version}.SNAPSHOT.xsd`, contents: bomXsd },
    preload: [{ fileName: 'spdx.SNAPSHOT.xsd', contents: spdxXsd }],
    maxMemoryPages: pages,
    modifyArguments: (args) => ['--nonet', ...args],
  });
  if (result.valid) return [];
  const reasons = result.errors.map((e) => (e.loc === null ? e.message : `line ${e.loc.lineNumber}: ${e.message}`)).filter((m) => !/fails to validate$/.test(m));
  return reasons.length > 0 ? reasons : [result.rawOutput.trim() || 'the document does not validate against the XSD'];
}
