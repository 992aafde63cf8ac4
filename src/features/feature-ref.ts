import { z } from 'zod';
import { InvalidFeatureRefError } from './errors.js';

/** A feature version named as `name@version`, e.g. `elo_rating@538`. */
export interface FeatureRef {
  readonly name: string;
  readonly version: string;
}

export const FEATURE_NAME_PATTERN = /^[a-z][a-z0-9_]*$/;
export const FEATURE_VERSION_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export const FeatureNameSchema = z.string().max(100).regex(FEATURE_NAME_PATTERN, 'lower_snake_case, starting with a letter');
export const FeatureVersionSchema = z.string().max(20).regex(FEATURE_VERSION_PATTERN, 'letters, digits, . _ -');

/** Parses `name@version`; throws InvalidFeatureRefError naming the text. */
export function parseFeatureRef(text: string): FeatureRef {
  const at = text.lastIndexOf('@');
  const name = at < 0 ? '' : text.slice(0, at).trim();
  const version = at < 0 ? '' : text.slice(at + 1).trim();
  if (!FeatureNameSchema.safeParse(name).success || !FeatureVersionSchema.safeParse(version).success) {
    throw new InvalidFeatureRefError(`"${text}" is not a feature reference of the form name@version (e.g. elo_rating@1)`, {
      ref: text,
    });
  }
  return { name, version };
}

/** `name@version`. */
export function formatFeatureRef(ref: FeatureRef): string {
  return `${ref.name}@${ref.version}`;
}
