import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import type { Compliance } from '../../../main/engine/schemas/compliance.js';
import type { Manifest } from '../../../main/engine/schemas/manifest.js';
import type { BuildRecord, DeploymentRecord } from '../../../main/engine/schemas/records.js';
import { freshSample, listFiles, readJson, readManifest, type SampleDir } from './sample-fixture.js';

interface Line {
  seq: number;
  time: string;
  prev: string;
  type: string;
  correlation_id: string;
  [field: string]: unknown;
}

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** Where a log file's chain starts: its own genesis, or (a later segment of a segmented log) the previous segment's head. */
interface ChainStart {
  readonly genesis: string;
  readonly firstSeq: number;
}

/** The daily inference logs are segments of one log, `logs/inference`: each starts where the previous one ended. */
function startOf(bundleId: string, head: Manifest['logs'][number], previous: Manifest['logs'][number] | undefined): ChainStart {
  if (!head.path.startsWith('logs/inference/')) return { genesis: sha256(`assay.log/v1 genesis\n${bundleId}\n${head.path}`), firstSeq: 0 };
  if (previous === undefined) return { genesis: sha256(`assay.log/v1 genesis\n${bundleId}\nlogs/inference`), firstSeq: 0 };
  return { genesis: previous.head, firstSeq: (previous.firstSeq ?? 0) + previous.entries };
}

/** Recomputes one chain from the bytes, independently of the writer, and returns its parsed lines. */
async function checkChain(bundleDir: string, bundleId: string, head: Manifest['logs'][number], start: ChainStart): Promise<Line[]> {
  const text = await readFile(join(bundleDir, head.path), 'utf8');
  const genesis = start.genesis;
  assert.equal(head.genesis, genesis, `${head.path}: genesis`);
  assert.equal(head.firstSeq ?? 0, start.firstSeq, `${head.path}: first seq`);
  assert.ok(text === '' || text.endsWith('\n'), `${head.path}: every line ends in a newline`);
  const raw = text === '' ? [] : text.slice(0, -1).split('\n');
  let prev = genesis;
  let lastTime = '';
  const lines = raw.map((bytes, index) => {
    const line = JSON.parse(bytes) as Line;
    assert.deepEqual(Object.keys(line).slice(0, 5), ['seq', 'time', 'prev', 'type', 'correlation_id'], `${head.path}:${index} envelope`);
    assert.equal(line.seq, start.firstSeq + index, `${head.path}:${index} seq`);
    assert.equal(line.prev, prev, `${head.path}:${index} prev`);
    assert.match(line.time, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    assert.ok(line.time >= lastTime, `${head.path}:${index} time goes back`);
    lastTime = line.time;
    prev = sha256(bytes);
    return line;
  });
  assert.equal(head.entries, lines.length, `${head.path}: entries`);
  assert.equal(head.head, prev, `${head.path}: head`);
  return lines;
}

describe('hash-chained logs of a sample', () => {
  let sample: SampleDir;
  let manifest: Manifest;
  const chains = new Map<string, Line[]>();
  before(async () => {
    sample = await freshSample();
    manifest = await readManifest(sample.bundleDir);
    const inference = manifest.logs.filter((l) => l.path.startsWith('logs/inference/'));
    for (const head of manifest.logs) chains.set(head.path, await checkChain(sample.bundleDir, manifest.bundleId, head, startOf(manifest.bundleId, head, inference[inference.indexOf(head) - 1])));
  });
  after(async () => sample.cleanup());

  test('every log file has a head in the manifest, and every chain recomputes', async () => {
    const logFiles = (await listFiles(sample.bundleDir)).filter((p) => p.endsWith('.jsonl'));
    assert.deepEqual(manifest.logs.map((l) => l.path), logFiles);
    assert.ok(chains.size >= 3);
  });

  test('the inference logs hold exactly the requested entries, one chain per UTC day', () => {
    let total = 0;
    for (const [path, lines] of chains) {
      if (!path.startsWith('logs/inference/')) continue;
      total += lines.length;
      for (const line of lines) assert.equal(line.time.slice(0, 10), path.slice('logs/inference/'.length, -'.jsonl'.length));
    }
    assert.equal(total, 2_000);
  });

  test('the pipeline audit log runs every configured gate in order, with result digests of the bundle files', async () => {
    const lines = chains.get('logs/pipeline-audit.jsonl')!;
    const build = await readJson<BuildRecord>(sample.bundleDir, 'records/build.json');
    const compliance = parseYaml(await readFile(join(sample.bundleDir, 'compliance.yaml'), 'utf8')) as Compliance;
    assert.equal(lines[0]!.type, 'trigger');
    assert.equal(lines[0]!['commit'], build.source.commit);
    const config = lines.find((l) => l.type === 'config')!;
    assert.equal(config['sha256'], build.pipelineConfig.sha256);
    assert.equal(config['version'], build.pipelineConfig.version);
    const gates = config['gates'] as string[];
    assert.deepEqual(lines.filter((l) => l.type === 'gate.start').map((l) => l['gate']), gates);
    const ends = lines.filter((l) => l.type === 'gate.end');
    assert.deepEqual(ends.map((l) => l['gate']), gates);
    for (const end of ends) {
      assert.equal(end['outcome'], 'passed');
      const result = end['result'] as Record<string, unknown>;
      const expected = typeof result['path'] === 'string' ? manifest.files.find((f) => f.path === result['path'])!.sha256 : sha256(JSON.stringify(result));
      assert.equal(end['result_sha256'], expected, `result digest of gate ${String(end['gate'])}`);
    }
    const approvals = lines.filter((l) => l.type === 'human-intervention' && l['action'] === 'approve-release');
    assert.ok(approvals.length >= compliance.human_oversight.quorum);
    for (const approval of approvals) assert.ok(compliance.human_oversight.approvers.includes(approval['actor'] as string));
    const modelSha = manifest.files.find((f) => f.path === 'artefacts/model.onnx')!.sha256;
    assert.ok(lines.some((l) => l.type === 'artefact' && l['sha256'] === modelSha));
    assert.ok(lines.every((l) => l.correlation_id === lines[0]!.correlation_id), 'one trace id for the run');
  });

  test('inference events name the deployed model and carry the Art. 12 fields', async () => {
    const deployment = await readJson<DeploymentRecord>(sample.bundleDir, 'records/deployment.json');
    const compliance = parseYaml(await readFile(join(sample.bundleDir, 'compliance.yaml'), 'utf8')) as Compliance;
    const lines = [...chains].filter(([path]) => path.startsWith('logs/inference/')).flatMap(([, l]) => l);
    const types = new Set(lines.map((l) => l.type));
    assert.deepEqual([...types].sort(), [...compliance.logging_profile.events].sort());
    const first = lines[0]!;
    assert.equal(first.type, 'deployment');
    assert.equal(first['image_digest'], deployment.image.digest);
    assert.equal(first['model_sha256'], deployment.model.sha256);
    assert.deepEqual(first['approval_references'], deployment.approvalReferences);
    const requests = new Set<string>();
    for (const line of lines) {
      if (line.type === 'inference') {
        requests.add(line.correlation_id);
        assert.deepEqual(line['model'], deployment.model);
        const output = line['output'] as { label: string; scores: Record<string, number> };
        assert.equal(line['confidence'], output.scores[output.label]);
        assert.match((line['input'] as { sha256: string }).sha256, /^[0-9a-f]{64}$/);
      }
      if (line.type === 'post-processing' || line.type === 'oversight') {
        assert.ok(requests.has(line.correlation_id), `${line.type} follows its request`);
      }
    }
    const oversight = lines.find((l) => l.type === 'oversight')!;
    for (const field of ['reviewer', 'decision', 'rationale']) assert.ok(typeof oversight[field] === 'string', field);
    const post = lines.find((l) => l.type === 'post-processing')!;
    for (const field of ['original', 'modified', 'rule']) assert.ok(post[field] !== undefined, field);
  });
});

describe('log sizes', () => {
  test('zero entries gives no inference log; one entry is the deployment', async () => {
    for (const [entries, expected] of [[0, []], [1, ['deployment']]] as const) {
      const sample = await freshSample({ logEntries: entries, artefactBytes: 16 });
      try {
        const manifest = await readManifest(sample.bundleDir);
        const inference = manifest.logs.filter((l) => l.path.startsWith('logs/inference/'));
        const lines: Line[] = [];
        for (const [k, head] of inference.entries()) lines.push(...(await checkChain(sample.bundleDir, manifest.bundleId, head, startOf(manifest.bundleId, head, inference[k - 1]))));
        assert.deepEqual(lines.map((l) => l.type), expected);
      } finally {
        await sample.cleanup();
      }
    }
  });

  test('100,000 entries generate quickly and chain correctly', async () => {
    const started = performance.now();
    const sample = await freshSample({ logEntries: 100_000, artefactBytes: 1024 });
    const seconds = (performance.now() - started) / 1000;
    try {
      const manifest = await readManifest(sample.bundleDir);
      const bytes = manifest.files.filter((f) => f.path.startsWith('logs/inference/')).reduce((sum, f) => sum + f.size, 0);
      console.log(`100,000 inference log entries (${(bytes / 1e6).toFixed(1)} MB) generated in ${seconds.toFixed(2)} s`);
      assert.ok(seconds < 60, `took ${seconds.toFixed(1)} s`);
      let total = 0;
      const inference = manifest.logs.filter((l) => l.path.startsWith('logs/inference/'));
      for (const [k, head] of inference.entries()) {
        total += (await checkChain(sample.bundleDir, manifest.bundleId, head, startOf(manifest.bundleId, head, inference[k - 1]))).length;
      }
      assert.equal(total, 100_000);
    } finally {
      await sample.cleanup();
    }
  });
});
