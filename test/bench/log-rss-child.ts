// Child process of the log peak-memory bench: verifies one chained log on all cores and prints its maxRSS
// (worker threads included: they share the process).

import { verifyLog } from '../../main/engine/logs/verify-log.js';

const [path, genesis, entries, head] = process.argv.slice(2);
if (path === undefined || genesis === undefined || entries === undefined || head === undefined) throw new Error('usage: log-rss-child.js FILE GENESIS ENTRIES HEAD');
const start = process.hrtime.bigint();
const result = await verifyLog(path, { genesis, firstSeq: 0, entries: Number(entries), head });
const ms = Number(process.hrtime.bigint() - start) / 1e6;
process.stdout.write(JSON.stringify({ maxRssKiB: process.resourceUsage().maxRSS, intact: result.intact, entries: result.entries, ms }));
