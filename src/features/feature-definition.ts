import { z } from 'zod';
import { EntityTypeSchema, FEATURE_DATA_TYPES, type EntityType } from './entity-types.js';
import { InvalidFeatureDefinitionError } from './errors.js';
import { FeatureNameSchema, FeatureVersionSchema } from './feature-ref.js';

/**
 * How a feature's value is computed: a method name plus every parameter that changes the
 * values (a change of either is a new version).
 */
export const CalculationMethodSchema = z
  .object({
    method: z.string().min(1).max(200),
    parameters: z.record(z.string(), z.unknown()).default({}),
  })
  .catchall(z.unknown());

/** A feature definition as written in a JSON file or built in code. */
export const FeatureDefinitionSchema = z
  .object({
    name: FeatureNameSchema,
    version: FeatureVersionSchema,
    entity_type: EntityTypeSchema,
    sport: z.string().min(1).max(20).nullable().default(null),
    category: z.string().min(1).max(50),
    data_type: z.enum(FEATURE_DATA_TYPES).default('float'),
    unit: z.string().max(30).nullable().default(null),
    description: z.string().min(1),
    calculation_method: CalculationMethodSchema,
    owner: z.string().max(100).nullable().default(null),
  })
  .strict();

export type FeatureDefinitionInput = z.input<typeof FeatureDefinitionSchema>;

/** A validated, frozen feature definition. */
export type FeatureDefinition = Readonly<z.output<typeof FeatureDefinitionSchema>> & {
  readonly entity_type: EntityType;
};

/**
 * Validates and freezes a definition. Throws InvalidFeatureDefinitionError listing every
 * field that fails, with the path and the reason.
 */
export function defineFeature(input: unknown, source = 'feature definition'): FeatureDefinition {
  const parsed = FeatureDefinitionSchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new InvalidFeatureDefinitionError(`${source} is invalid: ${issues.join('; ')}`, { source, issues });
  }
  return Object.freeze(parsed.data);
}

/** Canonical JSON (sorted keys), so definitions compare by content, not key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
