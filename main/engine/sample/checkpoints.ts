// Signed checkpoints of the sample's logs: for every log file (segment) a statement of its head
// (`assay.log-checkpoint/v1`) and its Sigstore signature by the pipeline key, written beside the log.

import { CHECKPOINT_MEDIA_TYPE, CHECKPOINT_SIGNATURE_MEDIA_TYPE, CHECKPOINT_VERSION, checkpointPathFor, checkpointSignaturePath, renderCheckpoint } from '../logs/checkpoint.js';
import type { BundleWriter } from './bundle-writer.js';
import type { SigningKey } from './keys.js';
import type { LogHead } from './logs.js';
import { signMessage } from './sign.js';

/** Writes the checkpoint of each head; returns the heads with the path of their checkpoint statement. */
export async function writeCheckpoints(writer: BundleWriter, bundleId: string, heads: readonly LogHead[], key: SigningKey): Promise<(LogHead & { checkpoint: string })[]> {
  const out: (LogHead & { checkpoint: string })[] = [];
  for (const head of heads) {
    const statementPath = checkpointPathFor(head.path);
    const statement = renderCheckpoint({
      checkpointVersion: CHECKPOINT_VERSION,
      bundleId,
      log: head.log,
      segment: head.segment,
      path: head.path,
      genesis: head.genesis,
      firstSeq: head.firstSeq,
      entries: head.entries,
      head: head.head,
      firstTime: head.firstTime,
      lastTime: head.lastTime,
    });
    await writer.writeFile(statementPath, statement, CHECKPOINT_MEDIA_TYPE);
    await writer.writeFile(checkpointSignaturePath(statementPath), signMessage(statement, key), CHECKPOINT_SIGNATURE_MEDIA_TYPE);
    out.push({ ...head, checkpoint: statementPath });
  }
  return out;
}
