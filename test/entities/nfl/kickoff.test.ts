import { describe, expect, it } from 'vitest';
import { InvalidCalendarDateError } from '../../../src/entities/nfl/errors.js';
import { DEFAULT_KICKOFF_UTC_HOUR, defaultKickoff } from '../../../src/entities/nfl/kickoff.js';

describe('defaultKickoff', () => {
  it('is 18:00 UTC on the game date, whatever the season or time zone', () => {
    expect(DEFAULT_KICKOFF_UTC_HOUR).toBe(18);
    expect(defaultKickoff('2020-09-13').toISOString()).toBe('2020-09-13T18:00:00.000Z');
    expect(defaultKickoff('1920-09-26').toISOString()).toBe('1920-09-26T18:00:00.000Z');
    expect(defaultKickoff('2021-02-07').toISOString()).toBe('2021-02-07T18:00:00.000Z');
  });

  it('puts the label time (kickoff − 1 h) at 17:00 UTC', () => {
    expect(new Date(defaultKickoff('2016-01-03').getTime() - 3_600_000).toISOString()).toBe('2016-01-03T17:00:00.000Z');
  });

  it('rejects strings that are not calendar dates', () => {
    expect(() => defaultKickoff('2021-02-29')).toThrow(InvalidCalendarDateError);
    expect(() => defaultKickoff('9/13/2020')).toThrow(InvalidCalendarDateError);
  });
});
