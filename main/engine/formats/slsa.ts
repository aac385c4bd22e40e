// SLSA provenance predicates (https://slsa.dev/provenance): v0.2 and v1 (also written `v1.0`), read from
// an in-toto Statement that was verified first, into one model: builder, build type, invocation, the
// source commits and the resolved dependencies with their digests. Unknown fields are ignored, as the
// specification tells parsers; required fields that are missing or mistyped are errors.

import { z } from 'zod';

export const SLSA_V02 = 'https://slsa.dev/provenance/v0.2';
export const SLSA_V1 = 'https://slsa.dev/provenance/v1';
export const SLSA_PREDICATE_TYPES: readonly string[] = [SLSA_V02, SLSA_V1, 'https://slsa.dev/provenance/v1.0'];

export class SlsaFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SlsaFormatError';
  }
}

export interface SlsaDependency {
  readonly uri: string | null;
  readonly name: string | null;
  /** algorithm -> value, as written */
  readonly digest: Readonly<Record<string, string>>;
  /** where in the predicate it came from, for messages */
  readonly from: string;
}

export interface SlsaSourceCommit {
  readonly uri: string;
  readonly commit: string;
  readonly from: string;
}

export interface SlsaProvenance {
  readonly version: 'v0.2' | 'v1';
  readonly predicateType: string;
  readonly builderId: string;
  readonly buildType: string;
  readonly invocationId: string | null;
  /** the parameters the build was invoked with (v1 externalParameters; v0.2 invocation), as JSON text */
  readonly invocation: string;
  readonly sourceCommits: readonly SlsaSourceCommit[];
  readonly dependencies: readonly SlsaDependency[];
}

export function isSlsaProvenance(predicateType: string): boolean {
  return SLSA_PREDICATE_TYPES.includes(predicateType);
}

const digestSet = z.record(z.string(), z.string());
const resourceDescriptor = z
  .looseObject({ uri: z.string().optional(), name: z.string().optional(), digest: digestSet.optional(), content: z.string().optional() })
  .refine((r) => r.uri !== undefined || r.digest !== undefined || r.content !== undefined, 'a resource descriptor needs uri, digest or content');

const v1Predicate = z.looseObject({
  buildDefinition: z.looseObject({
    buildType: z.string().min(1),
    externalParameters: z.record(z.string(), z.unknown()),
    internalParameters: z.unknown().optional(),
    resolvedDependencies: z.array(resourceDescriptor).optional(),
  }),
  runDetails: z.looseObject({
    builder: z.looseObject({ id: z.string().min(1), builderDependencies: z.array(resourceDescriptor).optional() }),
    metadata: z.looseObject({ invocationId: z.string().optional() }).optional(),
  }),
});

const v02Predicate = z.looseObject({
  builder: z.looseObject({ id: z.string().min(1) }),
  buildType: z.string().min(1),
  invocation: z
    .looseObject({
      configSource: z.looseObject({ uri: z.string().optional(), digest: digestSet.optional(), entryPoint: z.string().optional() }).optional(),
      parameters: z.unknown().optional(),
      environment: z.unknown().optional(),
    })
    .optional(),
  // The spec says buildInvocationId; in-toto-golang (and so slsa-github-generator) writes buildInvocationID.
  metadata: z.looseObject({ buildInvocationId: z.string().optional(), buildInvocationID: z.string().optional() }).optional(),
  materials: z.array(z.looseObject({ uri: z.string().optional(), digest: digestSet.optional() })).optional(),
});

export function parseSlsaProvenance(predicateType: string, predicate: unknown): SlsaProvenance {
  if (!isSlsaProvenance(predicateType)) throw new SlsaFormatError(`${predicateType} is not a SLSA provenance predicate type`);
  return predicateType === SLSA_V02 ? readV02(predicate) : readV1(predicateType, predicate);
}

function readV1(predicateType: string, predicate: unknown): SlsaProvenance {
  const parsed = v1Predicate.safeParse(predicate);
  if (!parsed.success) throw new SlsaFormatError(`SLSA v1 predicate: ${issues(parsed.error)}`);
  const { buildDefinition, runDetails } = parsed.data;
  const dependencies = (buildDefinition.resolvedDependencies ?? []).map((d, i) => dependency(d, `resolvedDependencies[${i}]`));
  return {
    version: 'v1',
    predicateType,
    builderId: runDetails.builder.id,
    buildType: buildDefinition.buildType,
    invocationId: runDetails.metadata?.invocationId ?? null,
    invocation: JSON.stringify(buildDefinition.externalParameters),
    sourceCommits: dependencies.flatMap(gitCommitOf),
    dependencies,
  };
}

function readV02(predicate: unknown): SlsaProvenance {
  const parsed = v02Predicate.safeParse(predicate);
  if (!parsed.success) throw new SlsaFormatError(`SLSA v0.2 predicate: ${issues(parsed.error)}`);
  const p = parsed.data;
  const dependencies = (p.materials ?? []).map((m, i) => dependency(m, `materials[${i}]`));
  const configSource = p.invocation?.configSource;
  const config = configSource?.uri === undefined ? [] : [dependency({ uri: configSource.uri, digest: configSource.digest }, 'invocation.configSource')];
  return {
    version: 'v0.2',
    predicateType: SLSA_V02,
    builderId: p.builder.id,
    buildType: p.buildType,
    invocationId: p.metadata?.buildInvocationId ?? p.metadata?.buildInvocationID ?? null,
    invocation: JSON.stringify({ configSource: configSource ?? null, parameters: p.invocation?.parameters ?? null }),
    sourceCommits: [...config, ...dependencies].flatMap(gitCommitOf),
    dependencies,
  };
}

function dependency(d: { uri?: string | undefined; name?: string | undefined; digest?: Record<string, string> | undefined }, from: string): SlsaDependency {
  return { uri: d.uri ?? null, name: d.name ?? null, digest: { ...(d.digest ?? {}) }, from };
}

/** A git source: a `git+` URI (SLSA's convention) with a gitCommit, sha1 or sha256 digest. */
function gitCommitOf(d: SlsaDependency): SlsaSourceCommit[] {
  if (d.uri === null || !d.uri.startsWith('git+')) return [];
  const commit = d.digest['gitCommit'] ?? d.digest['sha1'];
  return commit === undefined ? [] : [{ uri: d.uri, commit: commit.toLowerCase(), from: d.from }];
}

/** A dependency that is a container image: pkg:docker/, pkg:oci/, docker:// or oci:// URIs. */
export function isImageDependency(d: SlsaDependency): boolean {
  return d.uri !== null && /^(pkg:docker\/|pkg:oci\/|docker:\/\/|oci:\/\/)/.test(d.uri);
}

/** The sha256 an image dependency is pinned to (digest field or `@sha256:` in the URI), or null when only a tag names it. */
export function pinnedImageDigest(d: SlsaDependency): string | null {
  const field = d.digest['sha256'];
  const inUri = d.uri === null ? null : /@sha256(?::|%3[Aa])([0-9a-f]{64})(?:$|[?#])/.exec(d.uri)?.[1] ?? null;
  if (field !== undefined && !/^[0-9a-f]{64}$/.test(field)) return null;
  if (field !== undefined && inUri !== null && field !== inUri) return null;
  return field ?? inUri;
}

function issues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.map(String).join('.') || '(predicate)'}: ${i.message}`)
    .join('; ');
}
