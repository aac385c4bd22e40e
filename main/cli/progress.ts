// A one-line progress bar on stderr while hashing, shown only on a terminal so logs and pipes stay clean.

import type { HashProgress } from '../engine/hash/hash-pool.js';

export function progressBar(stream: NodeJS.WriteStream): { update: (p: HashProgress) => void; done: () => void } {
  if (!stream.isTTY) return { update: () => undefined, done: () => undefined };
  const started = Date.now();
  let shown = false;
  return {
    update(p: HashProgress): void {
      const width = 30;
      const fraction = p.bytesTotal === 0 ? 1 : Math.min(1, p.bytesDone / p.bytesTotal);
      const filled = Math.round(fraction * width);
      const seconds = Math.max(0.001, (Date.now() - started) / 1000);
      const rate = p.bytesDone / seconds / 1e6;
      stream.write(
        `\rhashing [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ` +
          `${p.filesDone}/${p.filesTotal} files ${rate.toFixed(0)} MB/s `,
      );
      shown = true;
    },
    done(): void {
      if (shown) stream.write('\r\u001b[K');
    },
  };
}
