// Every third-party SBOM fixture parses into the model; schema-invalid variants of each format (a
// required field removed, a wrong enumeration value, a dangling id) are rejected with the reason; XML
// external entities and remote DTDs are refused; duplicate JSON keys are refused.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { readSbom, readSbomValue } from '../../../main/engine/formats/detect.js';
import { validateCycloneDxXml } from '../../../main/engine/formats/cyclonedx-schema.js';
import { componentsWithHash, datasetComponents, modelComponents, type Sbom, type SbomReading } from '../../../main/engine/formats/sbom-model.js';

/** dist/test/unit/formats/ -> the repository's test/fixtures/sbom/ */
const FIXTURES = fileURLToPath(new URL('../../../../test/fixtures/sbom/', import.meta.url));
const fixture = (name: string) => readFileSync(FIXTURES + name, 'utf8');

async function read(text: string): Promise<SbomReading> {
  return readSbom(Buffer.from(text));
}

async function valid(text: string): Promise<Sbom> {
  const reading = await read(text);
  assert.ok(reading.ok, reading.ok ? '' : `${reading.kind}: ${reading.issues.join(' | ')}`);
  return reading.sbom;
}

async function rejected(text: string, kind: string, reason: RegExp): Promise<void> {
  const reading = await read(text);
  assert.equal(reading.ok, false, 'expected the document to be rejected');
  if (reading.ok) return;
  assert.equal(reading.kind, kind, reading.issues.join(' | '));
  assert.ok(reading.issues.some((issue) => reason.test(issue)), `no issue matches ${reason}: ${reading.issues.join(' | ')}`);
}

/** Third-party JSON, edited freely by the tests below (JSON.parse's own result type). */
const json = (name: string): ReturnType<typeof JSON.parse> => JSON.parse(fixture(name));

describe('third-party fixtures parse into the model', () => {
  test('CycloneDX 1.2 JSON (Dropwizard, Laravel)', async () => {
    const dropwizard = await valid(fixture('cyclonedx/dropwizard-1.3.15.cdx.json'));
    assert.equal(dropwizard.format, 'cyclonedx-json');
    assert.equal(dropwizard.specVersion, '1.2');
    assert.equal(dropwizard.components.length, 168);
    const guava = dropwizard.components.find((c) => c.name === 'guava')!;
    assert.equal(guava.purl, 'pkg:maven/com.google.guava/guava@24.1.1-jre?type=jar');
    assert.ok(guava.hashes.some((h) => h.algorithm === 'sha256' && /^[0-9a-f]{64}$/.test(h.value)));
    assert.ok(dropwizard.relationships.some((r) => r.from === guava.ref && r.type === 'depends-on'));
    const laravel = await valid(fixture('cyclonedx/laravel-7.12.0.cdx-1.2.json'));
    assert.equal(laravel.components.length, 63);
    assert.deepEqual(laravel.components.find((c) => c.name === 'stack-cors')?.licences, ['MIT']);
  });

  for (const [name, format] of [
    ['cyclonedx/ml-model-1.6.cdx.json', 'cyclonedx-json'],
    ['cyclonedx/ml-model-1.6.cdx.xml', 'cyclonedx-xml'],
  ] as const) {
    test(`CycloneDX 1.6 ML-BOM: ${name}`, async () => {
      const sbom = await valid(fixture(name));
      assert.equal(sbom.format, format);
      assert.equal(sbom.specVersion, '1.6');
      const [model] = modelComponents(sbom);
      assert.equal(model?.name, 'stable-diffusion');
      assert.equal(model?.version, '1.4');
      assert.equal(model?.modelCard?.approach, 'supervised');
      assert.equal(model?.modelCard?.task, 'task goes here');
      assert.deepEqual(model?.modelCard?.datasets, ['Training Data']);
      assert.deepEqual(model?.modelCard?.inputs, ['string']);
      assert.equal(model?.modelCard?.metrics[0]?.type, 'The type of performance metric');
      assert.ok(model?.modelCard?.limitations.includes('Limited performance on non-photographic styles'));
      assert.deepEqual(model?.modelCard?.properties.map((p) => p.name), ['modelcard:custom-property', 'modelcard:another-custom-property']);
    });
  }

  test('JSON and XML of the same ML-BOM give the same model card', async () => {
    const fromJson = modelComponents(await valid(fixture('cyclonedx/ml-model-1.6.cdx.json')))[0]!;
    const fromXml = modelComponents(await valid(fixture('cyclonedx/ml-model-1.6.cdx.xml')))[0]!;
    assert.deepEqual(fromXml.modelCard, fromJson.modelCard);
  });

  test('SPDX 2.3 JSON', async () => {
    const sbom = await valid(fixture('spdx/example11.spdx.json'));
    assert.equal(sbom.format, 'spdx2-json');
    assert.equal(sbom.specVersion, '2.3');
    assert.deepEqual(sbom.subjects, ['SPDXRef-Package-hello-server-src', 'SPDXRef-File-hello-server']);
    assert.equal(sbom.components.find((c) => c.name === 'hyper')?.purl, 'pkg:cargo/hyper@0.14');
    const binary = componentsWithHash(sbom, 'SHA256', 'bd2195f2551328fa3ad870726f5591fd82fdc5dd33a359be79d356dbecd5868b');
    assert.deepEqual(binary.map((c) => c.ref), ['SPDXRef-File-hello-server']);
  });

  test('SPDX 2.2 tag-value', async () => {
    const sbom = await valid(fixture('spdx/example1.spdx'));
    assert.equal(sbom.format, 'spdx2-tagvalue');
    assert.equal(sbom.specVersion, '2.2');
    assert.deepEqual(sbom.subjects, ['SPDXRef-Package-hello']);
    assert.equal(sbom.components.length, 4);
    assert.ok(sbom.relationships.some((r) => r.from === 'SPDXRef-Package-hello' && r.to === 'SPDXRef-hello-binary' && r.type === 'contains'));
    assert.ok(sbom.relationships.some((r) => r.from === 'SPDXRef-hello-binary' && r.to === 'SPDXRef-hello-src' && r.type === 'generated-from'));
    assert.ok(sbom.components.find((c) => c.ref === 'SPDXRef-hello-binary')!.hashes.some((h) => h.algorithm === 'sha256'));
  });

  test('SPDX 3.0.1 JSON-LD (software profile)', async () => {
    const sbom = await valid(fixture('spdx/example11.spdx3.json'));
    assert.equal(sbom.format, 'spdx3-jsonld');
    assert.equal(sbom.specVersion, '3.0.1');
    const file = sbom.components.find((c) => c.name === 'hello-server')!;
    assert.ok(file.hashes.some((h) => h.algorithm === 'sha256' && h.value === 'bd2195f2551328fa3ad870726f5591fd82fdc5dd33a359be79d356dbecd5868b'));
    assert.ok(sbom.subjects.includes(file.ref));
    assert.ok(sbom.components.some((c) => c.purl === 'pkg:cargo/hyper@0.14'));
  });

  test('SPDX 3.0.1 JSON-LD (AI and dataset profiles)', async () => {
    const sbom = await valid(fixture('spdx/ai-simplehtr.spdx3.json'));
    const word = modelComponents(sbom).find((c) => c.name === 'word-model' && c.rawType === 'ai_AIPackage')!;
    assert.ok(word.modelCard!.properties.some((p) => p.name === 'cnn_num_layers' && p.value === '5'));
    const iam = datasetComponents(sbom).find((c) => c.name === 'IAMdataset')!;
    assert.equal(iam.dataset?.classification, 'clear');
    assert.ok(sbom.relationships.some((r) => r.type === 'trained-on'));
    assert.deepEqual(sbom.subjects, ['https://my-first-aibom.com/SimpleHTR']);
  });
});

describe('schema-invalid variants are rejected with the reason', () => {
  const cdx = () => json('cyclonedx/ml-model-1.6.cdx.json');
  const dropwizard = () => json('cyclonedx/dropwizard-1.3.15.cdx.json');
  const xml = () => fixture('cyclonedx/ml-model-1.6.cdx.xml');
  const spdx2 = () => json('spdx/example11.spdx.json');
  const tagValue = () => fixture('spdx/example1.spdx');
  const spdx3 = () => json('spdx/example11.spdx3.json');

  test('CycloneDX JSON: required field removed', async () => {
    const bom = cdx();
    delete bom['components'][0]['name'];
    await rejected(JSON.stringify(bom), 'schema', /components\/0: must have required property 'name'/);
  });
  test('CycloneDX JSON: wrong enum', async () => {
    const bom = cdx();
    bom['components'][0]['type'] = 'spaceship';
    await rejected(JSON.stringify(bom), 'schema', /components\/0\/type: must be equal to one of the allowed values/);
  });
  test('CycloneDX JSON: dangling dependency ref', async () => {
    const bom = dropwizard();
    bom['dependencies'][1]['dependsOn'].push('pkg:maven/not/here@1');
    await rejected(JSON.stringify(bom), 'dangling-reference', /dependsOn\/\d+: "pkg:maven\/not\/here@1" is no bom-ref/);
  });
  test('CycloneDX JSON: duplicate bom-ref', async () => {
    const bom = dropwizard();
    bom['components'][1]['bom-ref'] = bom['components'][0]['bom-ref'];
    await rejected(JSON.stringify(bom), 'dangling-reference', /is used 2 times/);
  });
  test('CycloneDX JSON: unsupported spec version', async () => {
    const bom = cdx();
    bom['specVersion'] = '1.1';
    await rejected(JSON.stringify(bom), 'unsupported-version', /1\.1 is not supported/);
  });
  test('CycloneDX XML: required field removed', async () => {
    await rejected(xml().replace('<name>stable-diffusion</name>', ''), 'schema', /line \d+: .*(name|Missing child element)/);
  });
  test('CycloneDX XML: wrong enum', async () => {
    await rejected(xml().replace('type="machine-learning-model"', 'type="spaceship"'), 'schema', /'spaceship' is not an element of the set/);
  });
  test('CycloneDX XML: dangling dependency ref', async () => {
    const text = xml().replace('</components>', '</components>\n<dependencies><dependency ref="component-a"><dependency ref="nowhere"/></dependency></dependencies>');
    await rejected(text, 'dangling-reference', /"nowhere" is no bom-ref/);
  });
  test('SPDX 2 JSON: required field removed', async () => {
    const doc = spdx2();
    delete doc['packages'][0]['downloadLocation'];
    await rejected(JSON.stringify(doc), 'schema', /packages\[0\]\.downloadLocation: required field missing/);
  });
  test('SPDX 2 JSON: wrong enum', async () => {
    const doc = spdx2();
    doc['relationships'][0]['relationshipType'] = 'LOVES';
    await rejected(JSON.stringify(doc), 'schema', /relationships\[0\]\.relationshipType: "LOVES" is not one of/);
  });
  test('SPDX 2 JSON: wrong checksum algorithm', async () => {
    const doc = spdx2();
    doc['files'][0]['checksums'][1]['algorithm'] = 'SHA257';
    await rejected(JSON.stringify(doc), 'schema', /files\[0\]\.checksums\[1\]\.algorithm: "SHA257"/);
  });
  test('SPDX 2 JSON: dangling SPDX id', async () => {
    const doc = spdx2();
    doc['relationships'][0]['relatedSpdxElement'] = 'SPDXRef-Package-nowhere';
    await rejected(JSON.stringify(doc), 'dangling-reference', /relationships\[0\]\.relatedSpdxElement: "SPDXRef-Package-nowhere" does not resolve/);
  });
  test('SPDX 2 JSON: documentDescribes names a missing element', async () => {
    const doc = spdx2();
    doc['documentDescribes'].push('SPDXRef-gone');
    await rejected(JSON.stringify(doc), 'dangling-reference', /documentDescribes\[2\]: "SPDXRef-gone"/);
  });
  test('SPDX 2 JSON: unsupported version', async () => {
    const doc = spdx2();
    doc['spdxVersion'] = 'SPDX-2.1';
    await rejected(JSON.stringify(doc), 'unsupported-version', /SPDX-2\.1 is not supported/);
  });
  test('SPDX 2 tag-value: required field removed', async () => {
    await rejected(tagValue().replace(/^PackageDownloadLocation:.*\n/m, ''), 'schema', /packages\[0\]\.downloadLocation: required field missing/);
  });
  test('SPDX 2 tag-value: wrong enum', async () => {
    await rejected(tagValue().replace('FileType: BINARY', 'FileType: SPACESHIP'), 'schema', /files\[0\]\.fileTypes\[0\]: "SPACESHIP" is not one of/);
  });
  test('SPDX 2 tag-value: dangling SPDX id', async () => {
    await rejected(tagValue().replace('GENERATED_FROM SPDXRef-Makefile', 'GENERATED_FROM SPDXRef-Nowhere'), 'dangling-reference', /"SPDXRef-Nowhere" does not resolve/);
  });
  test('SPDX 2 tag-value: unknown tag', async () => {
    await rejected(tagValue().replace('FilesAnalyzed: true', 'FilesAnalyzed: true\nPackageColour: blue'), 'syntax', /unknown tag "PackageColour"/);
  });
  test('SPDX 3: required field removed', async () => {
    const doc = spdx3();
    const info = doc['@graph'].find((n: { type?: unknown }) => n.type === 'CreationInfo');
    delete info['created'];
    await rejected(JSON.stringify(doc), 'schema', /\.created: required field missing/);
  });
  test('SPDX 3: wrong enum', async () => {
    const doc = spdx3();
    doc['@graph'].find((n: { type?: unknown }) => n.type === 'Relationship')['relationshipType'] = 'loves';
    await rejected(JSON.stringify(doc), 'schema', /relationshipType: "loves" is not one of/);
  });
  test('SPDX 3: wrong hash algorithm', async () => {
    const doc = spdx3();
    doc['@graph'].find((n: { type?: unknown }) => n.type === 'software_File')['verifiedUsing'][0]['algorithm'] = 'sha257';
    await rejected(JSON.stringify(doc), 'schema', /verifiedUsing\[0\]\.algorithm: "sha257"/);
  });
  test('SPDX 3: dangling spdxId', async () => {
    const doc = spdx3();
    doc['@graph'].find((n: { type?: unknown }) => n.type === 'Relationship')['to'] = ['https://example.invalid/nowhere'];
    await rejected(JSON.stringify(doc), 'dangling-reference', /\.to\[0\]: "https:\/\/example\.invalid\/nowhere" does not resolve/);
  });
  test('SPDX 3: an id reused for a different element', async () => {
    const doc = spdx3();
    const graph = doc['@graph'];
    const tool = graph.find((n: { type?: unknown }) => n.type === 'Tool');
    graph.push({ ...tool, name: 'another tool' });
    await rejected(JSON.stringify(doc), 'schema', /is the id of another, different element/);
  });
});

describe('parsing is strict and XML stays local', () => {
  test('duplicate JSON keys are refused in every JSON format', async () => {
    await rejected(fixture('cyclonedx/ml-model-1.6.cdx.json').replace('{', '{\n  "specVersion": "1.2",'), 'duplicate-key', /duplicate key "specVersion"/);
    await rejected(fixture('spdx/example11.spdx.json').replace('{', '{\n  "name": "x",'), 'duplicate-key', /duplicate key "name"/);
    await rejected(fixture('spdx/example11.spdx3.json').replace('{', '{\n  "@graph": [],'), 'duplicate-key', /duplicate key "@graph"/);
  });

  const xxeDocuments = {
    'external entity (file)': '<?xml version="1.0"?>\n<!DOCTYPE bom [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<bom xmlns="http://cyclonedx.org/schema/bom/1.6" version="1"><components><component type="library"><name>&xxe;</name></component></components></bom>',
    'remote DTD': '<?xml version="1.0"?>\n<!DOCTYPE bom SYSTEM "http://127.0.0.1:9/evil.dtd">\n<bom xmlns="http://cyclonedx.org/schema/bom/1.6" version="1"/>',
    'parameter entity': '<?xml version="1.0"?>\n<!DOCTYPE bom [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/x"> %remote;]>\n<bom xmlns="http://cyclonedx.org/schema/bom/1.6" version="1"/>',
    'billion laughs': '<?xml version="1.0"?>\n<!DOCTYPE bom [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n<bom xmlns="http://cyclonedx.org/schema/bom/1.6" version="1"><components><component type="library"><name>&b;</name></component></components></bom>',
    'lowercase doctype': '<?xml version="1.0"?>\n<!doctype bom SYSTEM "file:///etc/passwd">\n<bom xmlns="http://cyclonedx.org/schema/bom/1.6" version="1"/>',
  };
  for (const [name, text] of Object.entries(xxeDocuments)) {
    test(`XML with ${name} is refused before any parser sees it`, async () => {
      await rejected(text, 'unsafe-xml', /declarations are refused/);
    });
  }

  test('the XSD validator itself neither expands external entities nor fetches', async () => {
    // Defence in depth: even if a DOCTYPE reached xmllint, the entity stays unexpanded (no --noent) and
    // the in-memory file system has no /etc/passwd; --nonet forbids fetching.
    const text = xxeDocuments['external entity (file)'];
    const issues = await validateCycloneDxXml(text, '1.6');
    assert.ok(issues.every((issue) => !issue.includes('root:')), issues.join(' | '));
  });

  test('an SBOM arriving as a parsed value (attestation predicate) reads the same', async () => {
    const value = json('spdx/example11.spdx.json');
    const reading = await readSbomValue(value);
    assert.ok(reading.ok);
    const cdx = await readSbomValue(json('cyclonedx/ml-model-1.6.cdx.json'));
    assert.ok(cdx.ok && modelComponents(cdx.sbom).length === 1);
  });

  test('unknown formats and non-UTF-8 bytes are reported, not thrown', async () => {
    await rejected('{"hello": "world"}', 'unknown-format', /neither CycloneDX/);
    await rejected('just text', 'unknown-format', /not a CycloneDX/);
    const reading = await readSbom(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]));
    assert.equal(reading.ok, false);
    assert.equal(!reading.ok && reading.kind, 'syntax');
  });
});
