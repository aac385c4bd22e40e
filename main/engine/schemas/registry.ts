// Every document schema of Assay's own formats, by the file name its JSON Schema is published under in
// docs/schemas/. `npm run docs` writes the JSON Schemas from this list, so docs cannot drift from code.

import type { z } from 'zod';
import { manifestSchema } from './manifest.js';
import { policySchema } from './policy.js';

export interface PublishedSchema {
  /** File name under docs/schemas/, e.g. `manifest.schema.json`. */
  readonly file: string;
  readonly title: string;
  readonly schema: z.ZodType;
}

export const PUBLISHED_SCHEMAS: readonly PublishedSchema[] = [
  { file: 'manifest.schema.json', title: 'Assay bundle manifest (assay.manifest/v1)', schema: manifestSchema },
  { file: 'policy.schema.json', title: 'Assay verification policy (assay/policy/v1)', schema: policySchema },
];
