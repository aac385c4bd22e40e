// The one list of checks `assay verify` runs, in order. Adding a check: one module, one line here.

import { attestationsCheck } from './attestations.js';
import type { Check } from './check.js';
import { imageSignaturesCheck } from './image-signatures.js';
import { inTotoLinksCheck } from './in-toto-links.js';
import { integrityCheck } from './integrity.js';
import { logChainCheck } from './log-chain.js';
import { logEventsCheck } from './log-events.js';
import { manifestSignatureCheck } from './manifest-signature.js';
import { recordsCheck } from './records.js';
import { provenanceCheck } from './provenance.js';
import { sbomCheck } from './sbom.js';
import { scansCheck } from './scans.js';
import { sourceCommitCheck } from './source-commit.js';

export const CHECKS: readonly Check[] = [integrityCheck, manifestSignatureCheck, imageSignaturesCheck, attestationsCheck, recordsCheck, sbomCheck, sourceCommitCheck, provenanceCheck, inTotoLinksCheck, scansCheck, logChainCheck, logEventsCheck];
