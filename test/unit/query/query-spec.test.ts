// Parsing what the user asks: times (a bare date covers its whole UTC day), cohort expressions (plain
// dotted paths only), correlation ids, and the one-kind-per-query rule of `assay logs query`.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { specOf } from '../../../main/cli/commands/logs-query.js';
import { checkCorrelationId, formatCohortExpr, parseCohortExpr, parseQueryTime, parseTimeRange, QuerySpecError } from '../../../main/engine/query/query-spec.js';

describe('times', () => {
  test('normalised to envelope timestamps; a bare date spans its day', () => {
    assert.equal(parseQueryTime('2026-09-12', 'from'), '2026-09-12T00:00:00.000Z');
    assert.equal(parseQueryTime('2026-09-12', 'to'), '2026-09-12T23:59:59.999Z');
    assert.equal(parseQueryTime('2026-09-12T10:00:00+02:00', 'from'), '2026-09-12T08:00:00.000Z');
    assert.equal(parseQueryTime('2026-09-12T08:00Z', 'from'), '2026-09-12T08:00:00.000Z');
  });
  test('refuses what is not a time, and empty ranges', () => {
    for (const bad of ['yesterday', '2026-13-01', '2026-02-30', '2026-09-12 08:00', '1694505600']) assert.throws(() => parseQueryTime(bad, 'from'), QuerySpecError, bad);
    assert.throws(() => parseTimeRange('2026-09-13', '2026-09-12'), /empty/);
  });
});

describe('cohort expressions', () => {
  test('attribute with defaults, and every key', () => {
    assert.deepEqual(parseCohortExpr('attribute=request.region'), { attribute: ['request', 'region'], outcome: ['output', 'label'], type: 'inference' });
    const full = parseCohortExpr('attribute=case, outcome=decision, type=oversight');
    assert.equal(formatCohortExpr(full), 'attribute=case,outcome=decision,type=oversight');
  });
  test('refuses anything but plain dotted paths and known keys', () => {
    for (const bad of ['', 'outcome=output.label', 'attribute=request.region,attribute=x', 'attribute=$.request', "attribute=a'b", 'attribute=a..b', 'attribute=a[0]', 'group=x', 'attribute=x,type=a b']) {
      assert.throws(() => parseCohortExpr(bad), QuerySpecError, bad);
    }
  });
});

describe('query kinds', () => {
  test('one kind per query', () => {
    assert.equal(specOf({ from: '2026-09-12', to: '2026-09-13' }).kind, 'time-range');
    assert.equal(specOf({ trace: 'abc' }).kind, 'trace');
    assert.deepEqual(specOf({ trace: 'abc', from: '2026-09-12', to: '2026-09-12', log: 'logs/inference' }), { kind: 'trace', correlationId: 'abc', range: { from: '2026-09-12T00:00:00.000Z', to: '2026-09-12T23:59:59.999Z' }, log: 'logs/inference' });
    assert.equal(specOf({ cohort: 'attribute=request.channel' }).kind, 'cohort');
    assert.equal(specOf({ oldest: true }).kind, 'oldest');
    assert.throws(() => specOf({}), QuerySpecError);
    assert.throws(() => specOf({ trace: 'a', cohort: 'attribute=x' }), QuerySpecError);
    assert.throws(() => specOf({ from: '2026-09-12' }), /go together/);
    assert.throws(() => specOf({ oldest: true, from: '2026-09-12', to: '2026-09-13' }), QuerySpecError);
  });
  test('correlation ids are plain printable ASCII', () => {
    assert.equal(checkCorrelationId('557d3647-b690-42de-bc36-df45c738fe1d'), '557d3647-b690-42de-bc36-df45c738fe1d');
    for (const bad of ['', 'a b', 'a"b', 'x'.repeat(129), 'é']) assert.throws(() => checkCorrelationId(bad), QuerySpecError);
  });
});
