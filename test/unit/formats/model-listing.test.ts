// The pure rules both the SBOM and ATT checks decide with: which in-toto predicate types carry an SBOM,
// and how a set of SBOMs lists each model artefact of the manifest (listed, other hash, absent).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { listModelArtefacts, type ModelArtefact } from '../../../main/engine/checks/model-listing.js';
import type { Sbom, SbomComponent } from '../../../main/engine/formats/sbom-model.js';
import { formatFitsFamily, isSbomPredicateType, sbomPredicateFamily } from '../../../main/engine/formats/sbom-predicate.js';

const MODEL_SHA = 'a'.repeat(64);
const CONFIG_SHA = 'b'.repeat(64);
const ARTEFACTS: readonly ModelArtefact[] = [
  { path: 'artefacts/model.onnx', sha256: MODEL_SHA },
  { path: 'artefacts/config.json', sha256: CONFIG_SHA },
];

function component(ref: string, name: string, sha256: string | null, kind: SbomComponent['kind'] = 'library'): SbomComponent {
  return { ref, kind, rawType: kind, name, hashes: sha256 === null ? [] : [{ algorithm: 'sha256', value: sha256 }], licences: [], externalReferences: [] };
}

function sbom(...components: SbomComponent[]): Sbom {
  return { format: 'cyclonedx-json', specVersion: '1.6', creators: [], subjects: [], components, relationships: [] };
}

describe('listModelArtefacts', () => {
  test('an artefact is listed by any component with its sha256, whatever its name, in any of the SBOMs', () => {
    const listings = listModelArtefacts(ARTEFACTS, 'scorer', [
      { source: 'one', sbom: sbom(component('model:scorer', 'scorer', MODEL_SHA, 'model')) },
      { source: 'two', sbom: sbom(component('x', 'anything', CONFIG_SHA)) },
    ]);
    assert.deepEqual(
      listings.map((l) => [l.artefact.path, l.kind, l.kind === 'listed' ? l.listed.map((c) => `${c.source}:${c.component.ref}`) : []]),
      [
        ['artefacts/model.onnx', 'listed', ['one:model:scorer']],
        ['artefacts/config.json', 'listed', ['two:x']],
      ],
    );
  });

  test('a component claiming the artefact by model name, path, file name or ref suffix with another sha256 is other-hash', () => {
    const other = 'c'.repeat(64);
    for (const claim of [component('m', 'scorer', other, 'model'), component('m', 'artefacts/model.onnx', other), component('m', 'model.onnx', other), component('file:artefacts/model.onnx', 'weights', other)]) {
      const [model] = listModelArtefacts(ARTEFACTS, 'scorer', [{ source: 's', sbom: sbom(claim) }]);
      assert.equal(model?.kind, 'other-hash', claim.name);
      if (model?.kind === 'other-hash') assert.deepEqual(model.claimed.map((c) => c.component), [claim]);
    }
  });

  test('an artefact no component claims, or claims without any sha256, is absent, with the model components shown', () => {
    const unhashed = component('m', 'scorer', null, 'model');
    const elsewhere = component('other', 'other-model', 'd'.repeat(64), 'model');
    const [model, config] = listModelArtefacts(ARTEFACTS, 'scorer', [{ source: 's', sbom: sbom(unhashed, elsewhere) }]);
    assert.equal(model?.kind, 'absent');
    if (model?.kind === 'absent') {
      assert.deepEqual(model.claimedWithoutHash.map((c) => c.component.ref), ['m']);
      assert.deepEqual(model.models.map((c) => c.ref), ['m', 'other']);
    }
    // The model's name claims every artefact of the model, the config file too.
    assert.equal(config?.kind, 'absent');
    if (config?.kind === 'absent') assert.deepEqual(config.claimedWithoutHash.map((c) => c.component.ref), ['m']);
    const [alone] = listModelArtefacts(ARTEFACTS.slice(1), 'scorer', [{ source: 's', sbom: sbom(elsewhere) }]);
    assert.equal(alone?.kind, 'absent');
    if (alone?.kind === 'absent') assert.deepEqual(alone.claimedWithoutHash, []);
  });

  test('a component claiming the name with a hash of no model artefact contradicts the manifest, even beside one with the right hash', () => {
    const [model] = listModelArtefacts(ARTEFACTS.slice(0, 1), 'scorer', [{ source: 's', sbom: sbom(component('old', 'scorer', 'e'.repeat(64), 'model'), component('new', 'weights', MODEL_SHA)) }]);
    assert.equal(model?.kind, 'other-hash');
    if (model?.kind === 'other-hash') assert.deepEqual(model.claimed.map((c) => c.component.ref), ['old']);
  });

  test('the model component, named like the model, carrying the weights hash is no contradiction for the config artefact', () => {
    const listings = listModelArtefacts(ARTEFACTS, 'scorer', [{ source: 's', sbom: sbom(component('m', 'scorer', MODEL_SHA, 'model'), component('c', 'config.json', CONFIG_SHA, 'file')) }]);
    assert.deepEqual(listings.map((l) => l.kind), ['listed', 'listed']);
  });
});

describe('SBOM predicate types', () => {
  test('the in-toto and cosign CycloneDX and SPDX types, plain and versioned, are SBOMs', () => {
    const cases: [string, string][] = [
      ['https://cyclonedx.org/bom', 'cyclonedx'],
      ['https://cyclonedx.org/bom/v1.4', 'cyclonedx'],
      ['https://cyclonedx.org/bom/v1.6', 'cyclonedx'],
      ['https://spdx.dev/Document', 'spdx'],
      ['https://spdx.dev/Document/v2.3', 'spdx2'],
      ['https://spdx.dev/Document/v3', 'spdx3'],
      ['https://spdx.dev/Document/v3.0.1', 'spdx3'],
    ];
    for (const [type, family] of cases) assert.equal(sbomPredicateFamily(type), family, type);
  });

  test('anything else is not, compared exactly', () => {
    for (const type of ['https://slsa.dev/provenance/v1', 'https://cyclonedx.org/bom/', 'https://cyclonedx.org/bom/v2.0', 'https://cyclonedx.org/BOM', 'http://cyclonedx.org/bom', 'https://spdx.dev/Document/v4', 'https://cyclonedx.org/vex', 'https://spdx.dev/Document/v2.3/x']) {
      assert.equal(isSbomPredicateType(type), false, type);
    }
  });

  test('a predicate type fixes the SBOM format its predicate must have', () => {
    assert.equal(formatFitsFamily('cyclonedx-json', 'cyclonedx'), true);
    assert.equal(formatFitsFamily('spdx2-json', 'cyclonedx'), false);
    assert.equal(formatFitsFamily('spdx2-json', 'spdx'), true);
    assert.equal(formatFitsFamily('spdx3-jsonld', 'spdx'), true);
    assert.equal(formatFitsFamily('spdx3-jsonld', 'spdx2'), false);
    assert.equal(formatFitsFamily('spdx3-jsonld', 'spdx3'), true);
  });
});
