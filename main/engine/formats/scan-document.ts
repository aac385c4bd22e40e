// Which reader a scan or VEX document needs, told from its content: SARIF (`runs`), OpenVEX (an
// `https://openvex.dev/ns` @context), CycloneDX (`bomFormat`: a vulnerability report, or VEX where a VEX
// document is expected). One dispatch for the SCAN check and `assay scan`.

import { readCycloneDxVex, readCycloneDxVulnerabilities } from './cyclonedx-vulnerabilities.js';
import { readOpenVex } from './openvex.js';
import { readSarif } from './sarif.js';
import type { ScanReading, VexReading } from './scan-model.js';
import { isObject } from './sbom-model.js';

export type ScanDocumentReading =
  | { readonly kind: 'scan'; readonly format: 'sarif' | 'cyclonedx'; readonly reading: ScanReading }
  | { readonly kind: 'vex'; readonly format: 'openvex' | 'cyclonedx'; readonly reading: VexReading }
  | { readonly kind: 'unknown'; readonly reason: string };

/** `scan`: a file under scans/; `vex`: a file under vex/; `any`: a file on its own (CycloneDX read as a scan report). */
export type ScanDocumentRole = 'scan' | 'vex' | 'any';

const EXPECTED: Readonly<Record<ScanDocumentRole, string>> = {
  scan: 'SARIF 2.1.0 with "runs", or CycloneDX with "bomFormat" and vulnerabilities',
  vex: 'OpenVEX with an https://openvex.dev/ns @context, or CycloneDX VEX',
  any: 'SARIF 2.1.0, CycloneDX with vulnerabilities, or OpenVEX',
};

export async function readScanDocument(value: unknown, role: ScanDocumentRole): Promise<ScanDocumentReading> {
  const object = isObject(value) ? value : {};
  const context = object['@context'];
  if (role !== 'scan' && typeof context === 'string' && context.startsWith('https://openvex.dev/ns')) return { kind: 'vex', format: 'openvex', reading: readOpenVex(value) };
  if (object['bomFormat'] === 'CycloneDX') {
    return role === 'vex' ? { kind: 'vex', format: 'cyclonedx', reading: await readCycloneDxVex(value) } : { kind: 'scan', format: 'cyclonedx', reading: await readCycloneDxVulnerabilities(value) };
  }
  if (role !== 'vex' && Array.isArray(object['runs'])) return { kind: 'scan', format: 'sarif', reading: readSarif(value) };
  return { kind: 'unknown', reason: `not a ${role === 'vex' ? 'VEX' : 'scan'} document Assay reads (${EXPECTED[role]})` };
}
