// JSON report: stable and deterministic. The same bundle gives the same bytes apart from `generatedAt`,
// because every array is built in a fixed order (catalogue order, sorted paths) and keys in fixed order.

import type { Report } from '../../../shared/report.js';

export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
