// Whether SBOMs list the manifest's model artefacts: for each artefact, components that claim it by name
// with a sha256 of none of the model's artefacts (other-hash: the SBOM contradicts the manifest, whatever
// else it lists), else a component with the sha256 the manifest has for it (listed), else neither (absent). Pure; the SBOM check (sbom/ files) and the ATT check (SBOM attestation
// predicates) both decide over it and word their own findings.

import { basename } from 'node:path';
import { sha256Of, type Sbom, type SbomComponent } from '../formats/sbom-model.js';
import type { Manifest } from '../schemas/manifest.js';

export interface ModelArtefact {
  /** Bundle path, as `manifest.model.artefacts` gives it. */
  readonly path: string;
  /** Lowercase hex, from `manifest.files`. */
  readonly sha256: string;
}

/** One component of one SBOM, with the caller's label for that SBOM (a path, an attestation). */
export interface ComponentAt<S> {
  readonly source: S;
  readonly component: SbomComponent;
}

export type ArtefactListing<S> =
  | { readonly kind: 'listed'; readonly artefact: ModelArtefact; readonly listed: readonly ComponentAt<S>[] }
  | { readonly kind: 'other-hash'; readonly artefact: ModelArtefact; readonly claimed: readonly ComponentAt<S>[] }
  | {
      readonly kind: 'absent';
      readonly artefact: ModelArtefact;
      /** Components that name the artefact but give no sha256 at all. */
      readonly claimedWithoutHash: readonly ComponentAt<S>[];
      /** Every model component of the SBOMs, to show what they list instead. */
      readonly models: readonly SbomComponent[];
    };

/** The model artefacts of a manifest with their sha256 (the manifest schema ties each to a listed file). */
export function modelArtefacts(manifest: Manifest): ModelArtefact[] {
  const sha256 = new Map(manifest.files.map((f) => [f.path, f.sha256]));
  return manifest.model.artefacts.map((path) => ({ path, sha256: sha256.get(path)! }));
}

/**
 * How the SBOMs list each model artefact. A component claims an artefact by name when its name or ref
 * is the model's name, the artefact path or its file name, or its ref ends in `:<path>`.
 */
export function listModelArtefacts<S>(artefacts: readonly ModelArtefact[], modelName: string, sboms: readonly { readonly source: S; readonly sbom: Sbom }[]): ArtefactListing<S>[] {
  const all: ComponentAt<S>[] = sboms.flatMap(({ source, sbom }) => sbom.components.map((component) => ({ source, component })));
  const artefactHashes = new Set(artefacts.map((a) => a.sha256));
  return artefacts.map((artefact): ArtefactListing<S> => {
    const names = new Set([modelName, artefact.path, basename(artefact.path)]);
    const claimed = all.filter(({ component: c }) => names.has(c.name) || names.has(c.ref) || c.ref.endsWith(`:${artefact.path}`));
    // A component that names this artefact but carries hashes of none of the model's artefacts contradicts
    // the manifest, even when another component lists the right hash: the SBOM would describe two models.
    const contradicting = claimed.filter(({ component }) => {
      const hashes = sha256Of(component);
      return hashes.length > 0 && !hashes.some((h) => artefactHashes.has(h));
    });
    if (contradicting.length > 0) return { kind: 'other-hash', artefact, claimed: contradicting };
    const listed = all.filter(({ component }) => sha256Of(component).includes(artefact.sha256));
    if (listed.length > 0) return { kind: 'listed', artefact, listed };
    const withOtherHash = claimed.filter(({ component }) => sha256Of(component).length > 0);
    if (withOtherHash.length > 0) return { kind: 'other-hash', artefact, claimed: withOtherHash };
    return { kind: 'absent', artefact, claimedWithoutHash: claimed, models: all.filter(({ component }) => component.kind === 'model').map(({ component }) => component) };
  });
}

export function describeComponent(component: SbomComponent): string {
  return `component "${component.name}"${component.version === undefined ? '' : ` ${component.version}`} (${component.ref})`;
}
