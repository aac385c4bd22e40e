import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { freshSample } from './sample-fixture.js';

interface Field {
  readonly number: number;
  readonly wire: number;
  readonly value: number | Buffer;
}

function readVarint(bytes: Buffer, at: number): [number, number] {
  let value = 0;
  let scale = 1;
  for (let i = at; i < bytes.length; i += 1) {
    value += (bytes[i]! & 0x7f) * scale;
    scale *= 128;
    if ((bytes[i]! & 0x80) === 0) return [value, i + 1];
  }
  throw new Error('truncated varint');
}

/** Decodes one protobuf message; throws unless its fields exactly cover the bytes. */
function decode(bytes: Buffer): Field[] {
  const fields: Field[] = [];
  let at = 0;
  while (at < bytes.length) {
    const [key, afterKey] = readVarint(bytes, at);
    const number = Math.floor(key / 8);
    const wire = key % 8;
    if (wire === 0) {
      const [value, next] = readVarint(bytes, afterKey);
      fields.push({ number, wire, value });
      at = next;
    } else if (wire === 2) {
      const [length, start] = readVarint(bytes, afterKey);
      if (start + length > bytes.length) throw new Error(`field ${number} overruns its message`);
      fields.push({ number, wire, value: bytes.subarray(start, start + length) });
      at = start + length;
    } else {
      throw new Error(`unexpected wire type ${wire}`);
    }
  }
  return fields;
}

const one = (fields: Field[], number: number): Field => {
  const found = fields.filter((f) => f.number === number);
  assert.equal(found.length, 1, `exactly one field ${number}`);
  return found[0]!;
};
const bytesOf = (field: Field): Buffer => field.value as Buffer;

test('artefacts/model.onnx is a well-formed ONNX ModelProto holding the pseudo-random weights', async () => {
  const weightBytes = 200_000; // a three-byte varint length
  const sample = await freshSample({ logEntries: 0, artefactBytes: weightBytes });
  try {
    const file = await readFile(join(sample.bundleDir, 'artefacts/model.onnx'));
    const model = decode(file);
    assert.equal(one(model, 1).value, 9, 'ir_version');
    assert.equal(bytesOf(one(model, 2)).toString(), 'assay-sample', 'producer_name');
    const opset = decode(bytesOf(one(model, 8)));
    assert.equal(one(opset, 2).value, 21, 'opset version');
    const graph = decode(bytesOf(one(model, 7)));
    assert.equal(bytesOf(one(graph, 2)).toString(), 'credit-risk-classifier');
    const node = decode(bytesOf(one(graph, 1)));
    assert.equal(bytesOf(one(node, 4)).toString(), 'Identity');
    assert.equal(bytesOf(one(node, 1)).toString(), 'weights');
    const tensor = decode(bytesOf(one(graph, 5)));
    assert.equal(one(tensor, 1).value, weightBytes, 'dims');
    assert.equal(one(tensor, 2).value, 2, 'UINT8');
    const raw = bytesOf(one(tensor, 9));
    assert.equal(raw.length, weightBytes);
    assert.ok(raw.equals(file.subarray(file.length - weightBytes)), 'the weights are the tail of the file');
    assert.ok(new Set(raw.subarray(0, 4096)).size > 200, 'the weights look random');
  } finally {
    await sample.cleanup();
  }
});
