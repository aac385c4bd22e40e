// LINK: in-toto classic link metadata under links/ (as in-toto-run writes it) records who
// performed each supply-chain step and what it consumed and produced. Each link's signatures are
// verified over its canonical JSON with the trust-store keys the policy allows for its step; every
// required step needs links from `threshold` distinct keys; a product that is a file of the bundle must
// have the sha256 the manifest has.

import { readFile } from 'node:fs/promises';
import { LinkFormatError, parseLink, verifyLink, type NamedKey } from '../formats/in-toto-link.js';
import { findingOf, type Check, type FindingDraft, type VerifyContext } from './check.js';

export const LINKS_DIRECTORY = 'links/';
const MAX_LINK_BYTES = 16 * 1024 * 1024;

export const inTotoLinksCheck: Check = {
  prefix: 'LINK',
  title: 'in-toto link metadata',
  obligation:
    'Art. 15 cybersecurity and Annex IV (2)(b): each step of the supply chain was carried out by a functionary the assessor trusts, and what it produced is what the release holds.',
  findings: {
    'LINK-VERIFIED': { status: 'pass', severity: 'info', when: 'A link is signed by a key the policy allows for its step, and its products match the manifest.' },
    'LINK-NOT-REQUIRED': { status: 'warn', severity: 'low', when: 'The policy has no inToto section, so links were not assessed.' },
    'LINK-NO-TRUST': { status: 'not-run', severity: 'high', when: 'No trust store or policy was given, or the policy names step keys the trust store lacks.' },
    'LINK-MALFORMED': { status: 'fail', severity: 'high', when: 'A .link file is not valid in-toto link metadata (strict JSON, link fields, hex signatures, canonicalisable).' },
    'LINK-SIGNATURE-INVALID': { status: 'fail', severity: 'critical', when: "A link's signature by an allowed key does not verify over its canonical JSON (the link was changed after signing)." },
    'LINK-SIGNER-UNTRUSTED': { status: 'fail', severity: 'critical', when: 'A link is signed only by keys the policy does not allow for its step.' },
    'LINK-STEP-MISSING': { status: 'fail', severity: 'high', when: 'A step the policy requires has no verified link from enough distinct allowed keys (its threshold).' },
    'LINK-STEP-UNKNOWN': { status: 'warn', severity: 'low', when: 'A link names a step the policy does not list; it was not verified.' },
    'LINK-PRODUCT-MISMATCH': { status: 'fail', severity: 'critical', when: "A link's product is a file of the bundle with another sha256 than the manifest has." },
  },
  async run(context: VerifyContext): Promise<readonly FindingDraft[]> {
    if (context.trust === null || context.policy === null) return [findingOf(this, 'LINK-NO-TRUST', { kind: 'bundle', ref: context.bundle.source }, 'No trust store and policy were given: in-toto links cannot be verified')];
    const required = context.policy.inToto;
    if (required === undefined) return [findingOf(this, 'LINK-NOT-REQUIRED', { kind: 'policy', ref: 'inToto' }, 'The policy has no inToto section: in-toto links were not assessed')];
    const lacking = required.steps.flatMap((s) => s.keys).filter((k) => !context.trust!.keys.has(k));
    if (lacking.length > 0) return [findingOf(this, 'LINK-NO-TRUST', { kind: 'policy', ref: 'inToto.steps' }, `The policy names keys the trust store does not hold: ${[...new Set(lacking)].join(', ')}`)];
    const manifestFiles = new Map(context.manifest.state === 'ok' ? context.manifest.value.files.map((f) => [f.path, f.sha256]) : []);
    const signedSteps = new Map<string, Set<string>>();
    const findings: FindingDraft[] = [];
    const files = context.bundle.files.filter((f) => f.path.startsWith(LINKS_DIRECTORY) && f.path.endsWith('.link'));
    for (const file of files) {
      const subject = { kind: 'file', path: file.path } as const;
      if (file.size > MAX_LINK_BYTES) {
        findings.push(findingOf(this, 'LINK-MALFORMED', subject, `${file.path} is ${file.size} bytes, larger than any link`));
        continue;
      }
      let document;
      try {
        document = parseLink(await readFile(file.absPath));
      } catch (error) {
        if (!(error instanceof LinkFormatError)) throw error;
        findings.push(findingOf(this, 'LINK-MALFORMED', subject, `${file.path}: ${error.message}`));
        continue;
      }
      const step = required.steps.find((s) => s.name === document.link.name);
      if (step === undefined) {
        findings.push(findingOf(this, 'LINK-STEP-UNKNOWN', subject, `${file.path} is a link for step "${document.link.name}", which the policy does not list`, { step: document.link.name }));
        continue;
      }
      const keys: NamedKey[] = step.keys.map((name) => ({ name, key: context.trust!.keys.get(name)!.key }));
      const verification = verifyLink(document, keys);
      if (verification.invalid.length > 0) {
        findings.push(findingOf(this, 'LINK-SIGNATURE-INVALID', subject, `${file.path}: the signature by key "${verification.invalid[0]!.name}" does not verify over the link: it was changed after signing`, { step: step.name, key: verification.invalid[0]!.name, keyid: verification.invalid[0]!.keyid }));
        continue;
      }
      if (verification.verifiedBy.length === 0) {
        findings.push(findingOf(this, 'LINK-SIGNER-UNTRUSTED', subject, `${file.path} is signed by key id(s) ${verification.unknownKeyIds.join(', ') || 'none'}, none of them a key the policy allows for step "${step.name}" (${step.keys.join(', ')})`, { step: step.name }));
        continue;
      }
      const mismatched = Object.entries(document.link.products).filter(([path, digests]) => manifestFiles.has(path) && digests['sha256'] !== manifestFiles.get(path));
      if (mismatched.length > 0) {
        for (const [path, digests] of mismatched) {
          findings.push(findingOf(this, 'LINK-PRODUCT-MISMATCH', subject, `${file.path}: step "${step.name}" produced ${path} with sha256 ${digests['sha256'] ?? 'none'}; the manifest has ${manifestFiles.get(path)!}`, { step: step.name, product: path, linkSha256: digests['sha256'] ?? null, manifestSha256: manifestFiles.get(path)! }));
        }
        continue;
      }
      const signers = signedSteps.get(step.name) ?? new Set<string>();
      for (const v of verification.verifiedBy) signers.add(v.name);
      signedSteps.set(step.name, signers);
      findings.push(
        findingOf(this, 'LINK-VERIFIED', subject, `${file.path}: step "${step.name}" signed by ${verification.verifiedBy.map((v) => `key "${v.name}"`).join(', ')}`, {
          step: step.name,
          keys: verification.verifiedBy.map((v) => v.name).join(', '),
          command: document.link.command.join(' '),
          materials: Object.keys(document.link.materials).length,
          products: Object.keys(document.link.products).length,
        }),
      );
    }
    for (const step of required.steps) {
      const count = signedSteps.get(step.name)?.size ?? 0;
      if (count < step.threshold) {
        findings.push(findingOf(this, 'LINK-STEP-MISSING', { kind: 'policy', ref: `inToto.steps.${step.name}` }, `Step "${step.name}" has verified links from ${count} of the ${step.threshold} distinct key(s) the policy requires (allowed: ${step.keys.join(', ')})`, { step: step.name, verified: count, threshold: step.threshold }));
      }
    }
    return findings;
  },
};
