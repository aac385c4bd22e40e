// Field readers for the Sigstore JSON formats (protobuf JSON): a required field that is missing or of
// the wrong type is an error naming its path, never a silent default. Callers turn ShapeError into
// their own typed error (a bad bundle is evidence that fails; a bad trusted root stops the verifier).

import { decodeBase64Strict } from './base64.js';

export class ShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShapeError';
  }
}

export type JsonObject = Record<string, unknown>;

export function asObject(value: unknown, where: string): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ShapeError(`${where} must be an object`);
  return value as JsonObject;
}

/** Refuses keys outside `allowed`, so a misspelt field is never silently ignored. */
export function onlyKeys(object: JsonObject, allowed: readonly string[], where: string): void {
  for (const key of Object.keys(object)) {
    if (!allowed.includes(key)) throw new ShapeError(`${where} has unknown field "${key}"`);
  }
}

export function requiredField(object: JsonObject, key: string, where: string): unknown {
  if (!Object.hasOwn(object, key) || object[key] === undefined || object[key] === null) throw new ShapeError(`${where}.${key} is missing`);
  return object[key];
}

export function requiredString(object: JsonObject, key: string, where: string): string {
  const value = requiredField(object, key, where);
  if (typeof value !== 'string') throw new ShapeError(`${where}.${key} must be a string`);
  return value;
}

// Protobuf JSON writes an absent optional field as null as readily as it omits it.
function absent(object: JsonObject, key: string): boolean {
  return !Object.hasOwn(object, key) || object[key] === null;
}

export function optionalString(object: JsonObject, key: string, where: string): string | null {
  if (absent(object, key)) return null;
  const value = object[key];
  if (typeof value !== 'string') throw new ShapeError(`${where}.${key} must be a string`);
  return value;
}

export function requiredObject(object: JsonObject, key: string, where: string): JsonObject {
  return asObject(requiredField(object, key, where), `${where}.${key}`);
}

export function optionalObject(object: JsonObject, key: string, where: string): JsonObject | null {
  if (absent(object, key)) return null;
  return asObject(object[key], `${where}.${key}`);
}

/** A repeated field: absent means empty (protobuf JSON omits empty lists), anything else must be a list. */
export function repeated(object: JsonObject, key: string, where: string): unknown[] {
  if (absent(object, key)) return [];
  const value = object[key];
  if (!Array.isArray(value)) throw new ShapeError(`${where}.${key} must be a list`);
  return value;
}

export function requiredBytes(object: JsonObject, key: string, where: string): Buffer<ArrayBuffer> {
  const bytes = decodeBase64Strict(requiredField(object, key, where));
  if (bytes === null) throw new ShapeError(`${where}.${key} is not valid base64 (truncated or damaged)`);
  return bytes;
}

/** A protobuf JSON int64: a decimal string (or a safe integer number); returned as its decimal string. */
/**
 * An int64 whose zero value proto3 JSON omits (a log index of 0 is a real index): absent means "0",
 * present must be a valid non-negative integer.
 */
export function int64OrZero(object: JsonObject, key: string, where: string): string {
  return object[key] === undefined || object[key] === null ? '0' : requiredInt64(object, key, where);
}

export function requiredInt64(object: JsonObject, key: string, where: string): string {
  const value = requiredField(object, key, where);
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  if (typeof value === 'string' && /^(0|[1-9][0-9]{0,18})$/.test(value)) return value;
  throw new ShapeError(`${where}.${key} must be a non-negative integer`);
}
