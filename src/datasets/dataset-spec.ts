import { z } from 'zod';
import { canonicalJson } from '../features/feature-definition.js';
import { FeatureNameSchema, FeatureVersionSchema } from '../features/feature-ref.js';
import { RetrievalModeSchema, parseDuration, parseTtl } from '../features/retrieval-spec.js';
import { InvalidDatasetSpecError } from './errors.js';

/**
 * Where a feature's entity comes from for each label (a game):
 * `home_team` / `away_team` (team features), `both_teams` (a team feature as two columns,
 * `home_<name>` and `away_<name>`, plus `diff_<name>` = home − away when `diff` is set),
 * `event` (event features) and `market` (the event's market on a platform).
 */
export const FEATURE_ROLES = ['home_team', 'away_team', 'both_teams', 'event', 'market'] as const;
export type FeatureRole = (typeof FEATURE_ROLES)[number];

/** Which entity type each role needs. */
export const ROLE_ENTITY_TYPE = {
  home_team: 'team',
  away_team: 'team',
  both_teams: 'team',
  event: 'event',
  market: 'market',
} as const satisfies Record<FeatureRole, string>;

/** Targets a label can carry; ties follow `ties`. */
export const TARGETS = ['home_win'] as const;

const DurationText = (what: string, positive: boolean) =>
  z.string().superRefine((text, ctx) => {
    try {
      if (positive) parseTtl(text);
      else parseDuration(text, what);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
    }
  });

const FeatureUseSchema = z
  .object({
    /** name@version */
    feature: z.string().regex(/^[a-z][a-z0-9_]*@[A-Za-z0-9][A-Za-z0-9._-]*$/, 'name@version'),
    role: z.enum(FEATURE_ROLES),
    /** Column name stem (default: the feature's name). */
    as: FeatureNameSchema.optional(),
    /** both_teams only: add diff_<name> = home − away. */
    diff: z.boolean().default(false),
    /** market role: the platform whose market of the event is used. */
    platform: z.string().min(1).max(50).optional(),
    /** Per-feature TTL, overriding the spec's. */
    ttl: DurationText('TTL', true).optional(),
  })
  .strict()
  .superRefine((use, ctx) => {
    if (use.role === 'market' && !use.platform) ctx.addIssue({ code: 'custom', message: 'role market needs a platform' });
    if (use.diff && use.role !== 'both_teams') ctx.addIssue({ code: 'custom', message: 'diff needs role both_teams' });
  });

/**
 * A dataset spec: which labels (NFL games of some seasons, target, label time = kickoff
 * minus `label_offset`), which features in which roles, and how values are retrieved.
 */
export const DatasetSpecSchema = z
  .object({
    name: FeatureNameSchema,
    version: FeatureVersionSchema,
    sport: z.string().min(1).max(20),
    description: z.string().optional(),
    labels: z
      .object({
        seasons: z.tuple([z.number().int().min(1800).max(9999), z.number().int().min(1800).max(9999)]),
        target: z.enum(TARGETS).default('home_win'),
        /** Ties excluded, or labelled 0.5. */
        ties: z.enum(['exclude', 'half']).default('exclude'),
        /** Label (decision) time = kickoff minus this. */
        label_offset: DurationText('label offset', false).default('1h'),
        playoffs: z.boolean().default(true),
      })
      .strict()
      .refine((l) => l.seasons[0] <= l.seasons[1], 'seasons must be [from, to] with from <= to'),
    features: z.array(FeatureUseSchema).min(1),
    mode: RetrievalModeSchema.default('known'),
    /** Only values strictly before the label time. */
    strict: z.boolean().default(false),
    ttl: DurationText('TTL', true).optional(),
    /** Every value used has available_at <= this; default: pinned to the build's start. */
    knowledge_cutoff: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();

export type DatasetSpecInput = z.input<typeof DatasetSpecSchema>;
export type DatasetSpec = Readonly<z.output<typeof DatasetSpecSchema>>;
export type FeatureUse = z.output<typeof FeatureUseSchema>;

/** Validates a spec (from JSON or code), naming every bad field; the result is frozen. */
export function defineDataset(input: unknown, source = 'dataset spec'): DatasetSpec {
  const parsed = DatasetSpecSchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new InvalidDatasetSpecError(`${source} is invalid: ${issues.join('; ')}`, { source, issues });
  }
  return Object.freeze(parsed.data);
}

/** The spec as stable text (sorted keys, defaults filled): what the file and registry store. */
export function specJson(spec: DatasetSpec): string {
  return canonicalJson(spec);
}
