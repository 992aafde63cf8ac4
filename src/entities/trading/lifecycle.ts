import { StatusTransitionError } from './errors.js';

/**
 * The lifecycle rule shared by the two catalogues of immutable versions
 * (probability_models, strategies): a status change must be listed in the table's
 * transition table, and moving into or out of `active` stamps `activated_at` /
 * `deactivated_at`.
 */

/** Throws StatusTransitionError unless `transitions[from]` lists `to`. */
export function assertTransition<S extends string>(
  transitions: Readonly<Record<S, readonly S[]>>,
  from: S,
  to: S,
  where: { table: string; key: string },
): void {
  if (!transitions[from].includes(to)) {
    const allowed = transitions[from].length > 0 ? transitions[from].join(', ') : 'nothing (final)';
    throw new StatusTransitionError(
      `${where.table} ${where.key}: cannot change status from ${from} to ${to} (allowed: ${allowed})`,
      { ...where, from, to },
    );
  }
}

/** The lifecycle stamps a change from `from` to `to` at `at` sets. */
export function lifecycleStamps(from: string, to: string, at: Date): { activated_at?: Date; deactivated_at?: Date } {
  return {
    ...(to === 'active' ? { activated_at: at } : {}),
    ...(from === 'active' ? { deactivated_at: at } : {}),
  };
}
