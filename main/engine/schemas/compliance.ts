// The system's compliance declaration (`compliance.yaml`, `assay/compliance/v1`): what the AI system is
// for, who owns it, its data sources and its human-oversight rule. See docs/bundle-format.md.

import { z } from 'zod';
import { sha256Hex } from './common.js';

export const COMPLIANCE_VERSION = 'assay/compliance/v1';
export const COMPLIANCE_PATH = 'compliance.yaml';

/** An identifier of a person or role: an e-mail address or a directory id such as `jdoe`. */
export const principalId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._%+@-]{0,199}$/, 'an e-mail address or directory id');

/** A lowercase slug used for ids and event names. */
export const slug = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'lowercase letters, digits, ".", "_" or "-"');

const text = z.string().min(1).max(4000);

export const RISK_TIERS = ['high', 'limited', 'minimal'] as const;

export const dataSourceSchema = z
  .object({
    uri: z.url().max(2048).describe('where the dataset version is stored, e.g. s3://bucket/prefix/'),
    version_id: z.string().min(1).max(200).describe('the immutable version of the dataset (object version, DVC rev, snapshot id)'),
    sha256: sha256Hex.describe('sha256 of the dataset version (of its content manifest for multi-file sets)'),
  })
  .strict();

export const humanOversightSchema = z
  .object({
    approvers: z.array(principalId).min(1).max(100).describe('who may approve a release'),
    quorum: z.number().int().positive().describe('how many distinct approvers must approve'),
  })
  .strict()
  .superRefine((oversight, ctx) => {
    if (new Set(oversight.approvers).size !== oversight.approvers.length) {
      ctx.addIssue({ code: 'custom', path: ['approvers'], message: 'approvers must be distinct' });
    }
    if (oversight.quorum > oversight.approvers.length) {
      ctx.addIssue({ code: 'custom', path: ['quorum'], message: `quorum ${oversight.quorum} exceeds the ${oversight.approvers.length} approvers` });
    }
  });

export const loggingProfileSchema = z
  .object({
    profile: z.string().min(1).max(200).describe('name and version of the logging profile, e.g. art12-inference/v1'),
    retention_years: z.number().int().min(1).max(100).describe('how long the logs are kept'),
    events: z.array(slug).min(1).describe('event types the deployed system records (the `type` of log lines)'),
  })
  .strict();

export const complianceSchema = z
  .object({
    apiVersion: z.literal(COMPLIANCE_VERSION),
    system_name: z.string().min(1).max(200),
    system_version: z.string().min(1).max(100),
    owner: z
      .object({ organisation: z.string().min(1).max(200), contact: z.email().describe('who answers for the system') })
      .strict(),
    intended_use: text,
    out_of_scope: z.array(text).describe('uses the provider excludes'),
    risk_tier: z.enum(RISK_TIERS).describe('EU AI Act risk category'),
    domain: z.string().min(1).max(200).describe('application area, e.g. the Annex III area of a high-risk system'),
    data_sources: z.array(dataSourceSchema).min(1),
    human_oversight: humanOversightSchema,
    logging_profile: loggingProfileSchema,
  })
  .strict();

export type Compliance = z.infer<typeof complianceSchema>;
export type DataSource = z.infer<typeof dataSourceSchema>;
