// The sample's security scan evidence, consistent with the release: one scan per kind the policy requires,
// in the formats real tools write (SARIF 2.1.0 as Semgrep and Checkov write it, with the built commit in
// versionControlProvenance; a CycloneDX 1.6 vulnerability report as Grype writes it, about the image; an
// in-toto vulnerability statement about the image, signed by the pipeline key), and an OpenVEX document
// that settles the two blocking vulnerabilities the scans report. The vulnerability ids are invented
// (CVE-2026-4xxxx): the sample's packages have no such advisories.

import { VERSION } from '../version.js';
import type { BuildRecord } from '../schemas/records.js';
import type { SigningKey } from './keys.js';
import type { BundleWriter } from './bundle-writer.js';
import { isoSeconds as iso, type Library } from './scenario.js';
import { signStatementBundle } from './supply-chain.js';

export const SAMPLE_SCAN_FILES = {
  staticAnalysis: 'scans/static-analysis/semgrep.sarif',
  dependencyAnalysis: 'scans/dependency-analysis/grype.cdx.json',
  containerImage: 'scans/container-image/trivy.vulns.sigstore.json',
  iac: 'scans/iac/checkov.sarif',
  vex: 'vex/release.openvex.json',
} as const;

export const IN_TOTO_VULNS_V01 = 'https://in-toto.io/attestation/vulns/v0.1';
/** The sample's blocking vulnerabilities and how its VEX document settles them. */
export const SAMPLE_DEPENDENCY_VULNERABILITY = 'CVE-2026-41207';
export const SAMPLE_IMAGE_VULNERABILITY = 'CVE-2026-43318';

export interface SampleScanInputs {
  readonly build: BuildRecord;
  readonly libraries: readonly Library[];
  /** When the security-scan gate ran and when the risk review signed off the VEX, epoch ms. */
  readonly scanStartedMs: number;
  readonly scanFinishedMs: number;
  readonly vexMs: number;
  readonly key: SigningKey;
  readonly organisation: string;
}

/** `pkg:oci/<name>@sha256%3A<hex>?repository_url=<registry/path>`: the purl of the released image. */
export function imagePurl(image: { name: string; digest: string }): string {
  const name = image.name.split('/').pop()!;
  return `pkg:oci/${name}@${image.digest.replace(':', '%3A')}?repository_url=${image.name}`;
}

function sarif(tool: { name: string; version: string; uri: string }, build: BuildRecord, endMs: number, rules: readonly { id: string; name: string; text: string; severity: string; tags: readonly string[] }[], results: readonly { rule: number; file: string; line: number; text: string }[]): string {
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: tool.name,
            semanticVersion: tool.version,
            informationUri: tool.uri,
            rules: rules.map((r) => ({
              id: r.id,
              name: r.name,
              shortDescription: { text: r.text },
              defaultConfiguration: { level: 'warning' },
              properties: { 'security-severity': r.severity, tags: [...r.tags] },
            })),
          },
        },
        invocations: [{ executionSuccessful: true, endTimeUtc: iso(endMs) }],
        versionControlProvenance: [{ repositoryUri: build.source.repo, revisionId: build.source.commit, branch: build.source.ref }],
        results: results.map((r) => ({
          ruleId: rules[r.rule]!.id,
          ruleIndex: r.rule,
          level: 'warning',
          message: { text: r.text },
          locations: [{ physicalLocation: { artifactLocation: { uri: r.file, uriBaseId: '%SRCROOT%' }, region: { startLine: r.line } } }],
        })),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function staticAnalysis(inputs: SampleScanInputs): string {
  return sarif(
    { name: 'Semgrep OSS', version: '1.95.0', uri: 'https://semgrep.dev' },
    inputs.build,
    inputs.scanFinishedMs,
    [
      { id: 'python.lang.security.audit.insecure-hash-algorithms.insecure-hash-algorithm-md5', name: 'insecure-hash-algorithm-md5', text: 'Detected MD5 hash algorithm which is considered insecure.', severity: '5.3', tags: ['security', 'CWE-327'] },
      { id: 'python.lang.best-practice.open-never-closed', name: 'open-never-closed', text: 'File handle opened without a context manager.', severity: '2.0', tags: ['maintainability'] },
    ],
    [
      { rule: 0, file: 'training/features/fingerprint.py', line: 41, text: 'Detected MD5 hash algorithm; used for feature bucketing, not for security.' },
      { rule: 1, file: 'serving/app/config.py', line: 18, text: 'File handle opened without a context manager.' },
    ],
  );
}

function iacScan(inputs: SampleScanInputs): string {
  return sarif(
    { name: 'Checkov', version: '3.2.300', uri: 'https://www.checkov.io' },
    inputs.build,
    inputs.scanFinishedMs,
    [
      { id: 'CKV_K8S_40', name: 'Containers should run as a high UID to avoid host conflict', text: 'Containers should run as a high UID to avoid host conflict', severity: '3.1', tags: ['kubernetes'] },
      { id: 'CKV_K8S_43', name: 'Image should use digest', text: 'Image should use digest', severity: '4.0', tags: ['kubernetes'] },
    ],
    [
      { rule: 0, file: 'deploy/k8s/risk-scorer/deployment.yaml', line: 23, text: 'runAsUser is 1000; a UID above 10000 is recommended.' },
      { rule: 1, file: 'deploy/k8s/risk-scorer/sidecar.yaml', line: 11, text: 'The log shipper sidecar image is referenced by tag.' },
    ],
  );
}

function dependencyScan(inputs: SampleScanInputs): string {
  const image = inputs.build.outputs.image;
  const lib = (name: string) => inputs.libraries.find((l) => l.name === name) ?? inputs.libraries[0]!;
  const onnx = lib('onnxruntime');
  const pandas = lib('pandas');
  const bom = {
    $schema: 'http://cyclonedx.org/schema/bom-1.6.schema.json',
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: 'urn:uuid:5b0c3a4e-2f1d-4c8a-9e57-7d1f0b6a2c91',
    version: 1,
    metadata: {
      timestamp: iso(inputs.scanFinishedMs),
      tools: { components: [{ type: 'application', author: 'anchore', name: 'grype', version: '0.82.0' }] },
      component: { 'bom-ref': imagePurl(image), type: 'container', name: image.name, version: image.digest, purl: imagePurl(image) },
    },
    components: inputs.libraries.map((l) => ({ 'bom-ref': l.purl, type: 'library', name: l.name, version: l.version, purl: l.purl })),
    vulnerabilities: [
      {
        'bom-ref': `${SAMPLE_DEPENDENCY_VULNERABILITY}-${onnx.purl}`,
        id: SAMPLE_DEPENDENCY_VULNERABILITY,
        source: { name: 'NVD', url: `https://nvd.nist.gov/vuln/detail/${SAMPLE_DEPENDENCY_VULNERABILITY}` },
        references: [{ id: 'GHSA-7x2q-p4vm-3c9h', source: { name: 'GitHub Advisories', url: 'https://github.com/advisories/GHSA-7x2q-p4vm-3c9h' } }],
        ratings: [{ source: { name: 'NVD' }, score: 7.5, severity: 'high', method: 'CVSSv31', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H' }],
        description: `Out-of-bounds read in the ${onnx.name} ONNX loader when parsing a crafted external-data tensor.`,
        affects: [{ ref: onnx.purl }],
      },
      {
        'bom-ref': `CVE-2026-41880-${pandas.purl}`,
        id: 'CVE-2026-41880',
        source: { name: 'NVD', url: 'https://nvd.nist.gov/vuln/detail/CVE-2026-41880' },
        ratings: [{ source: { name: 'NVD' }, score: 5.5, severity: 'medium', method: 'CVSSv31', vector: 'CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:N/I:N/A:H' }],
        description: `Excessive memory use in ${pandas.name} read_csv with crafted quoting.`,
        affects: [{ ref: pandas.purl }],
      },
    ],
  };
  return `${JSON.stringify(bom, null, 2)}\n`;
}

function containerScanStatement(inputs: SampleScanInputs): Buffer {
  const image = inputs.build.outputs.image;
  const statement = {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: image.name, digest: { sha256: image.digest.slice('sha256:'.length) } }],
    predicateType: IN_TOTO_VULNS_V01,
    predicate: {
      scanner: {
        uri: 'pkg:github/aquasecurity/trivy@v0.57.1',
        version: '0.57.1',
        db: { uri: 'pkg:github/aquasecurity/trivy-db', version: '2', lastUpdate: iso(inputs.scanStartedMs - 6 * 3600 * 1000) },
        result: [
          { id: SAMPLE_IMAGE_VULNERABILITY, severity: [{ method: 'nvd', score: '9.1' }, { method: 'debian', score: 'HIGH' }], annotations: [{ package: 'openssl', installedVersion: '3.0.15-1~deb12u1', purl: 'pkg:deb/debian/openssl@3.0.15-1~deb12u1?arch=amd64&distro=debian-12' }] },
          { id: 'CVE-2026-40211', severity: [{ method: 'nvd', score: 'LOW' }], annotations: [{ package: 'libgnutls30', installedVersion: '3.7.9-2+deb12u3' }] },
          { id: 'CVE-2026-40598', severity: [{ method: 'nvd', score: '3.3' }], annotations: [{ package: 'libsystemd0', installedVersion: '252.31-1~deb12u1' }] },
        ],
      },
      metadata: { scanStartedOn: iso(inputs.scanStartedMs), scanFinishedOn: iso(inputs.scanFinishedMs) },
    },
  };
  return Buffer.from(JSON.stringify(statement));
}

function openVex(inputs: SampleScanInputs): string {
  const image = inputs.build.outputs.image;
  const product = (sub: string) => ({ '@id': imagePurl(image), identifiers: { purl: imagePurl(image) }, hashes: { 'sha-256': image.digest.slice('sha256:'.length) }, subcomponents: [{ '@id': sub }] });
  const onnx = inputs.libraries.find((l) => l.name === 'onnxruntime') ?? inputs.libraries[0]!;
  const doc = {
    '@context': 'https://openvex.dev/ns/v0.2.0',
    '@id': `https://security.nordlicht-bank.example/vex/${image.digest.slice('sha256:'.length, 'sha256:'.length + 16)}`,
    author: `${inputs.organisation} Product Security <psirt@nordlicht-bank.example>`,
    role: 'Document Creator',
    timestamp: iso(inputs.vexMs),
    version: 1,
    tooling: `assay sample ${VERSION}`,
    statements: [
      {
        vulnerability: { name: SAMPLE_DEPENDENCY_VULNERABILITY, aliases: ['GHSA-7x2q-p4vm-3c9h'] },
        timestamp: iso(inputs.vexMs),
        products: [product(onnx.purl)],
        status: 'not_affected',
        justification: 'vulnerable_code_not_in_execute_path',
        impact_statement: 'The serving image loads one ONNX model from its own read-only layer; the external-data loader is never called.',
      },
      {
        vulnerability: { name: SAMPLE_IMAGE_VULNERABILITY },
        timestamp: iso(inputs.vexMs),
        products: [product('pkg:deb/debian/openssl@3.0.15-1~deb12u1?arch=amd64&distro=debian-12')],
        status: 'fixed',
        impact_statement: 'Debian backported the upstream fix into 3.0.15-1~deb12u1 (DSA-6101-1); the scanner database predates the advisory.',
      },
    ],
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

export async function writeSampleScans(writer: BundleWriter, inputs: SampleScanInputs): Promise<void> {
  await writer.writeFile(SAMPLE_SCAN_FILES.staticAnalysis, staticAnalysis(inputs), 'application/sarif+json');
  await writer.writeFile(SAMPLE_SCAN_FILES.dependencyAnalysis, dependencyScan(inputs), 'application/vnd.cyclonedx+json; version=1.6');
  await writer.writeFile(SAMPLE_SCAN_FILES.containerImage, signStatementBundle(containerScanStatement(inputs), inputs.key), 'application/vnd.dev.sigstore.bundle.v0.3+json');
  await writer.writeFile(SAMPLE_SCAN_FILES.iac, iacScan(inputs), 'application/sarif+json');
  await writer.writeFile(SAMPLE_SCAN_FILES.vex, openVex(inputs), 'application/json');
}

/** The policy section that requires these scans, signed statements by the pipeline key. */
export function scansPolicy(pipelineKey: string): Record<string, unknown> {
  return { scans: { required: ['static-analysis', 'dependency-analysis', 'container-image', 'iac'], signer: { key: pipelineKey } } };
}
