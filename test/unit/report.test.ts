import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareFiles } from '../../shared/file-records.js';
import { checkStatusOf, summarise, verdictOf, type CheckResult, type Finding } from '../../shared/report.js';
import { FINDING_IDS } from '../../shared/finding-ids.js';
import { CHECKS } from '../../main/engine/checks/catalogue.js';

const finding = (status: Finding['status']): Finding => ({
  id: 'INT-FILES-VERIFIED',
  status,
  severity: status === 'pass' ? 'info' : 'high',
  subject: { kind: 'bundle', ref: 'b' },
  message: 'm',
  evidence: {},
  obligation: 'o',
});
const check = (...statuses: Finding['status'][]): CheckResult => {
  const findings = statuses.map(finding);
  return { check: 'X', title: 'x', status: checkStatusOf(findings), findings };
};

test('verdict: PASS only when every check passed', () => {
  assert.equal(verdictOf([check('pass'), check('pass', 'warn')]), 'PASS');
  assert.equal(verdictOf([check('pass'), check('fail')]), 'FAIL');
  assert.equal(verdictOf([check('pass'), check('not-run')]), 'INCOMPLETE');
  assert.equal(verdictOf([check('not-run'), check('fail')]), 'FAIL');
  assert.equal(verdictOf([]), 'INCOMPLETE');
});

test('summary counts non-pass findings by severity', () => {
  const s = summarise([check('pass', 'fail', 'not-run', 'warn')]);
  assert.equal(s.findings, 4);
  assert.equal(s.failed, 1);
  assert.equal(s.notRun, 1);
  assert.equal(s.bySeverity.high, 3);
  assert.equal(s.bySeverity.info, 0);
});

test('compareFiles classifies every file', () => {
  const records = compareFiles(
    [
      { path: 'a', sha256: '1'.repeat(64), size: 1 },
      { path: 'b', sha256: '2'.repeat(64), size: 2 },
      { path: 'c', sha256: '3'.repeat(64), size: 3 },
      { path: 'd', sha256: '4'.repeat(64), size: 4 },
    ],
    new Map([
      ['a', { ok: true, sha256: '1'.repeat(64), size: 1 }],
      ['b', { ok: true, sha256: '9'.repeat(64), size: 2 }],
      ['c', { ok: true, sha256: '3'.repeat(64), size: 4 }],
      ['e', { ok: true, sha256: '5'.repeat(64), size: 5 }],
      ['manifest.json', { ok: true, sha256: '6'.repeat(64), size: 6 }],
    ] as const),
    ['manifest.json'],
  );
  assert.deepEqual(
    records.map((r) => [r.path, r.state]),
    [['a', 'ok'], ['b', 'hash-mismatch'], ['c', 'size-mismatch'], ['d', 'missing'], ['e', 'unlisted']],
  );
});

test('every finding id is declared by exactly one check, with that check’s prefix', () => {
  const declared = new Map<string, string>();
  for (const c of CHECKS) {
    for (const id of Object.keys(c.findings)) {
      assert.ok(id.startsWith(`${c.prefix}-`), `${id} declared by ${c.prefix}`);
      assert.ok(!declared.has(id), `${id} declared twice`);
      declared.set(id, c.prefix);
    }
  }
  for (const id of FINDING_IDS) {
    if (id.startsWith('ENGINE-')) continue;
    assert.ok(declared.has(id), `${id} is in FINDING_IDS but no check declares it`);
  }
});
