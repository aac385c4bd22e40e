// Writes the sample model as a well-formed ONNX ModelProto (onnx.proto3): one UINT8 initializer holding
// `weightBytes` pseudo-random bytes and an Identity node returning it. The weights go last in the
// protobuf, so the file streams out without holding the weights in memory.

import type { FileSink } from './bundle-writer.js';
import type { Keystream } from './prng.js';

const WIRE_VARINT = 0;
const WIRE_LENGTH = 2;
const ONNX_UINT8 = 2; // TensorProto.DataType.UINT8
const IR_VERSION = 9;
const OPSET_VERSION = 21;
const CHUNK_BYTES = 1024 * 1024;

function varint(value: number): Buffer {
  // Arithmetic rather than bit operations: sizes above 2^31 must encode correctly.
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

function key(field: number, wire: number): Buffer {
  return varint(field * 8 + wire);
}

function intField(field: number, value: number): Buffer {
  return Buffer.concat([key(field, WIRE_VARINT), varint(value)]);
}

function bytesField(field: number, content: Buffer | string): Buffer {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  return Buffer.concat([key(field, WIRE_LENGTH), varint(bytes.length), bytes]);
}

/** Header of a length-delimited field whose content is streamed after it. */
function openField(field: number, length: number): Buffer {
  return Buffer.concat([key(field, WIRE_LENGTH), varint(length)]);
}

/** ValueInfoProto of a rank-1 UINT8 tensor. */
function uint8VectorInfo(name: string, length: number): Buffer {
  const dim = bytesField(1, intField(1, length)); // TensorShapeProto.dim { dim_value }
  const tensorType = Buffer.concat([intField(1, ONNX_UINT8), bytesField(2, dim)]); // elem_type, shape
  return Buffer.concat([bytesField(1, name), bytesField(2, bytesField(1, tensorType))]); // name, type.tensor_type
}

export interface OnnxModelInfo {
  readonly graphName: string;
  readonly producer: string;
  readonly producerVersion: string;
  readonly docString: string;
}

/** Streams the model into `sink`; returns the number of bytes written. */
export async function writeOnnxModel(sink: FileSink, info: OnnxModelInfo, weightBytes: number, weights: Keystream): Promise<number> {
  const weightsName = 'weights';
  const outputName = 'scores';
  const tensorHead = Buffer.concat([intField(1, weightBytes), intField(2, ONNX_UINT8), bytesField(8, weightsName), openField(9, weightBytes)]);
  const tensorLength = tensorHead.length + weightBytes;
  const node = Buffer.concat([bytesField(1, weightsName), bytesField(2, outputName), bytesField(3, 'identity'), bytesField(4, 'Identity')]);
  const graphHead = Buffer.concat([
    bytesField(1, node),
    bytesField(2, info.graphName),
    bytesField(12, uint8VectorInfo(outputName, weightBytes)),
    openField(5, tensorLength),
    tensorHead,
  ]);
  const graphLength = graphHead.length + weightBytes;
  const modelHead = Buffer.concat([
    intField(1, IR_VERSION),
    bytesField(2, info.producer),
    bytesField(3, info.producerVersion),
    bytesField(6, info.docString),
    bytesField(8, Buffer.concat([bytesField(1, ''), intField(2, OPSET_VERSION)])),
    openField(7, graphLength),
    graphHead,
  ]);
  await sink.writeBytes(modelHead);
  for (let written = 0; written < weightBytes; ) {
    const n = Math.min(CHUNK_BYTES, weightBytes - written);
    await sink.writeBytes(weights.next(n));
    written += n;
  }
  return modelHead.length + weightBytes;
}
