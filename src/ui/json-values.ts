/** An instant as ISO-8601 text (drivers return TIMESTAMPTZ as a Date; text is accepted too). */
export function iso(value: Date | string): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

/** {@link iso}, keeping null and undefined as null. */
export function isoOrNull(value: Date | string | null | undefined): string | null {
  return value === null || value === undefined ? null : iso(value);
}
