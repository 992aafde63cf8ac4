/**
 * Value parsing shared by both engines, so a query returns the same JS types on each:
 * BIGINT ids as numbers (they stay far below 2^53), DATE as 'YYYY-MM-DD' text (a Date
 * would invent a time zone), NUMERIC as text (money is never a float).
 */
export const PARSE_INT8_AS_NUMBER = (value: string): number => Number(value);
export const PARSE_DATE_AS_STRING = (value: string): string => value;
