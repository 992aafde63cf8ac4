import { InvalidEloParamsError } from './errors.js';
import { parseEloParams, type EloParams } from './elo-params.js';
import { create538EloParams } from './preset-538.js';

/** The Elo presets `precog elo run --preset` knows. */
export const ELO_PRESETS = ['538'] as const;
export type EloPreset = (typeof ELO_PRESETS)[number];

const PRESET_FACTORIES: Readonly<Record<EloPreset, (initialRatings: Readonly<Record<string, number>>) => EloParams>> = {
  '538': create538EloParams,
};

/** The scalar parameters `--param key=value` may override (records come from files). */
export const OVERRIDABLE_PARAMS = ['k', 'homeAdvantage', 'revertTo', 'revertFraction', 'marginOfVictory', 'defaultInitialRating'] as const;
export type OverridableParam = (typeof OVERRIDABLE_PARAMS)[number];
export type EloParamOverrides = Partial<Record<OverridableParam, number | boolean>>;

/** Whether `value` names a preset. */
export function isEloPreset(value: string): value is EloPreset {
  return (ELO_PRESETS as readonly string[]).includes(value);
}

function isOverridable(key: string): key is OverridableParam {
  return (OVERRIDABLE_PARAMS as readonly string[]).includes(key);
}

/**
 * Parses `key=value` overrides (`k=25`, `marginOfVictory=false`): keys are the scalar
 * {@link EloParams} fields, values numbers or `true`/`false`. A key given twice, an unknown
 * key or a value that is neither throws {@link InvalidEloParamsError} naming it; types and
 * ranges are checked when the overrides are applied ({@link presetParams}).
 */
export function parseParamOverrides(pairs: readonly string[]): EloParamOverrides {
  const out: EloParamOverrides = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const key = eq < 0 ? pair.trim() : pair.slice(0, eq).trim();
    const text = eq < 0 ? '' : pair.slice(eq + 1).trim();
    if (!isOverridable(key)) {
      throw new InvalidEloParamsError([{ field: key || '(empty)', reason: `unknown parameter (expected one of ${OVERRIDABLE_PARAMS.join(', ')}) in "${pair}"` }]);
    }
    if (key in out) throw new InvalidEloParamsError([{ field: key, reason: 'given twice' }]);
    if (text === 'true' || text === 'false') out[key] = text === 'true';
    else if (text !== '' && Number.isFinite(Number(text))) out[key] = Number(text);
    else throw new InvalidEloParamsError([{ field: key, reason: `"${text}" is not a number or true/false` }]);
  }
  return out;
}

/**
 * A preset's parameters with `initialRatings` and the overrides applied, validated (a
 * boolean where a number belongs, or a value out of range, throws
 * {@link InvalidEloParamsError}).
 */
export function presetParams(
  preset: EloPreset,
  initialRatings: Readonly<Record<string, number>>,
  overrides: EloParamOverrides = {},
): EloParams {
  return parseEloParams({ ...PRESET_FACTORIES[preset](initialRatings), ...overrides });
}
