// `verify(bundle, trust, policy)`: the procedure an assessor follows, in order. Load the trust and
// policy the assessor owns, open the bundle safely, read the manifest, hash every file, run every check
// of the catalogue, and derive the verdict. Nothing here decides a finding; the checks do.

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { compareFiles } from '../../shared/file-records.js';
import type { CheckResult, Finding, Report } from '../../shared/report.js';
import { checkStatusOf, summarise, verdictOf } from '../../shared/report.js';
import { CHECKS } from './checks/catalogue.js';
import { findingOf, type Check, type FindingDraft, type ManifestState, type VerifyContext } from './checks/check.js';
import { integrityCheck } from './checks/integrity.js';
import { hashFiles, type HashOutcome, type HashProgress } from './hash/hash-pool.js';
import { MANIFEST_PATH, manifestSchema, SELF_COVERED_PATHS } from './schemas/manifest.js';
import { DEFAULT_ARCHIVE_LIMITS, type Policy } from './schemas/policy.js';
import { readJsonDocument } from './schemas/validate.js';
import { BundleRefusedError, type OpenedBundle } from './sources/bundle-source.js';
import { openBundle } from './sources/open-bundle.js';
import { loadPolicy, PolicyFileError } from './trust/load-policy.js';
import { resolvePolicyTrust } from './trust/resolve-signers.js';
import { loadTrustStore, type TrustStore } from './trust/trust-store.js';
import { VERSION } from './version.js';

export interface VerifyOptions {
  readonly trustDir?: string | undefined;
  readonly policyPath?: string | undefined;
  readonly onProgress?: ((progress: HashProgress) => void) | undefined;
  readonly signal?: AbortSignal | undefined;
  /** Parent directory for the private temporary area archives are extracted into (default: os.tmpdir()). */
  readonly tempParent?: string | undefined;
  readonly now?: (() => Date) | undefined;
}

/** A manifest larger than this is refused before parsing: no legitimate manifest comes near it. */
const MAX_MANIFEST_BYTES = 256 * 1024 * 1024;

export async function verify(source: string, options: VerifyOptions = {}): Promise<Report> {
  const { trust, policy } = await loadTrustAndPolicy(options);
  const generatedAt = (options.now ?? (() => new Date()))().toISOString();
  let bundle: OpenedBundle;
  try {
    bundle = await openBundle(source, policy?.archive ?? DEFAULT_ARCHIVE_LIMITS, { tempParent: options.tempParent });
  } catch (error) {
    if (error instanceof BundleRefusedError) return refusedReport(source, error, generatedAt);
    throw error;
  }
  try {
    const manifest = await readManifest(bundle);
    const hashes = await hashFiles(bundle.files, { onProgress: options.onProgress, signal: options.signal });
    const context: VerifyContext = { bundle, manifest, trust, policy, hashes };
    const checks: CheckResult[] = [];
    for (const check of CHECKS) checks.push(await runCheck(check, context));
    return buildReport(source, manifest, checks, filesOf(manifest, hashes), generatedAt);
  } finally {
    await bundle.close();
  }
}

/** Trust and policy go together: the policy names keys that only the trust store can resolve. */
async function loadTrustAndPolicy(options: VerifyOptions): Promise<{ trust: TrustStore | null; policy: Policy | null }> {
  if ((options.trustDir === undefined) !== (options.policyPath === undefined)) {
    throw new PolicyFileError('--trust and --policy go together: the policy names the keys of the trust store');
  }
  if (options.trustDir === undefined || options.policyPath === undefined) return { trust: null, policy: null };
  const policy = await loadPolicy(options.policyPath);
  const trust = await resolvePolicyTrust(await loadTrustStore(options.trustDir), policy, options.policyPath);
  return { trust, policy };
}

async function readManifest(bundle: OpenedBundle): Promise<ManifestState> {
  const file = bundle.files.find((f) => f.path === MANIFEST_PATH);
  if (file === undefined) return { state: 'missing' };
  if (file.size > MAX_MANIFEST_BYTES) {
    return { state: 'invalid', bytes: Buffer.alloc(0), sha256: '', kind: 'syntax', issues: [`manifest.json is ${file.size} bytes, over the ${MAX_MANIFEST_BYTES}-byte limit`] };
  }
  const bytes = await readFile(join(bundle.root, file.path));
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const reading = readJsonDocument(bytes, manifestSchema);
  if (!reading.ok) return { state: 'invalid', bytes, sha256, kind: reading.kind, issues: reading.issues };
  return { state: 'ok', bytes, sha256, value: reading.value };
}

async function runCheck(check: Check, context: VerifyContext): Promise<CheckResult> {
  let drafts: readonly FindingDraft[];
  try {
    drafts = await check.run(context);
  } catch (error) {
    drafts = [
      {
        id: 'ENGINE-CHECK-CRASHED',
        status: 'not-run',
        severity: 'high',
        subject: { kind: 'bundle', ref: context.bundle.source },
        message: `The ${check.prefix} check could not complete: ${(error as Error).message}`,
        evidence: { check: check.prefix },
      },
    ];
  }
  const findings: Finding[] = drafts.map((draft) => ({ ...draft, obligation: check.obligation }));
  return { check: check.prefix, title: check.title, status: checkStatusOf(findings), findings };
}

function filesOf(manifest: ManifestState, hashes: ReadonlyMap<string, HashOutcome>) {
  return compareFiles(manifest.state === 'ok' ? manifest.value.files : [], hashes, manifest.state === 'ok' ? SELF_COVERED_PATHS : []);
}

function buildReport(source: string, manifest: ManifestState, checks: CheckResult[], files: Report['files'], generatedAt: string): Report {
  return {
    reportVersion: 'assay.report/v1',
    verifier: { name: 'assay', version: VERSION },
    bundle: {
      source,
      id: manifest.state === 'ok' ? manifest.value.bundleId : null,
      manifestSha256: manifest.state === 'missing' ? null : manifest.sha256 || null,
    },
    generatedAt,
    verdict: verdictOf(checks),
    summary: summarise(checks),
    checks,
    files,
  };
}

/** An archive refused while opening: the integrity check fails with the refusal; nothing else can run. */
function refusedReport(source: string, error: BundleRefusedError, generatedAt: string): Report {
  const subject = error.entry === null ? ({ kind: 'bundle', ref: source } as const) : ({ kind: 'file', path: error.entry } as const);
  const draft = findingOf(integrityCheck, error.code, subject, error.message, { entry: error.entry });
  const findings: Finding[] = [{ ...draft, obligation: integrityCheck.obligation }];
  const checks: CheckResult[] = [{ check: integrityCheck.prefix, title: integrityCheck.title, status: 'failed', findings }];
  return buildReport(source, { state: 'missing' }, checks, [], generatedAt);
}
