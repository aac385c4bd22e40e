// Child process of the peak-memory bench: hashes one file (or nothing, with --idle) and prints its maxRSS.

import { hashFile } from '../../main/engine/hash/hash-file.js';

const arg = process.argv[2];
if (arg === undefined) throw new Error('usage: rss-child.js <file> | --idle');
if (arg === '--idle') {
  process.stdout.write(JSON.stringify({ maxRssKiB: process.resourceUsage().maxRSS }));
} else {
  const start = process.hrtime.bigint();
  const digest = await hashFile(arg);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  process.stdout.write(JSON.stringify({ maxRssKiB: process.resourceUsage().maxRSS, sha256: digest.sha256, ms }));
}
