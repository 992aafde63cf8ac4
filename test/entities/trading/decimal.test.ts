import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CLOCK_SECONDS,
  MONEY,
  PROBABILITY,
  SIGNED_UNIT,
  divideRounded,
  formatUnits,
  normalizeDecimal,
  toUnits,
} from '../../../src/entities/trading/decimal.js';
import {
  addFees,
  averageExitPrice,
  realizedPnlAfter,
  settlementPriceFor,
} from '../../../src/entities/trading/position-accounting.js';

describe('exact decimals', () => {
  it('parses text and numbers into units of the scale, rounding half away from zero like NUMERIC', () => {
    expect(toUnits('0.65', 4)).toBe(6500n);
    expect(toUnits(0.65, 4)).toBe(6500n);
    expect(toUnits('.5', 4)).toBe(5000n);
    expect(toUnits('1.', 4)).toBe(10000n);
    expect(toUnits(' 0.12345 ', 4)).toBe(1235n);
    expect(toUnits('-0.12345', 4)).toBe(-1235n);
    expect(toUnits('0.12344999', 4)).toBe(1234n);
    expect(toUnits(1e-7, 4)).toBe(0n);
    expect(toUnits('6.5e-1', 4)).toBe(6500n);
    // 0.1 + 0.2 as a float is 0.30000000000000004: the stored value is still exactly 0.3000
    expect(toUnits(0.1 + 0.2, 4)).toBe(3000n);
    for (const bad of ['', '.', '-', 'abc', '1,5', '0x10', '1e99999', 'NaN']) expect(toUnits(bad, 4)).toBeUndefined();
    expect(toUnits(Number.NaN, 4)).toBeUndefined();
    expect(toUnits(Number.POSITIVE_INFINITY, 4)).toBeUndefined();
  });

  it('formats units as canonical text', () => {
    expect(formatUnits(6500n, 4)).toBe('0.6500');
    expect(formatUnits(-5n, 4)).toBe('-0.0005');
    expect(formatUnits(123456789n, 4)).toBe('12345.6789');
    expect(formatUnits(1234n, 2)).toBe('12.34');
    expect(formatUnits(0n, 0)).toBe('0');
  });

  it('normalizes against a column: range, precision and rule in words', () => {
    expect(normalizeDecimal('0.65', PROBABILITY)).toEqual({ ok: true, text: '0.6500' });
    expect(normalizeDecimal(1, PROBABILITY)).toEqual({ ok: true, text: '1.0000' });
    expect(normalizeDecimal('1.00004', PROBABILITY)).toEqual({ ok: true, text: '1.0000' });
    expect(normalizeDecimal('1.00005', PROBABILITY)).toEqual({ ok: false, reason: 'must be a probability in [0, 1]' });
    expect(normalizeDecimal('-0.01', PROBABILITY)).toEqual({ ok: false, reason: 'must be a probability in [0, 1]' });
    expect(normalizeDecimal('-1', SIGNED_UNIT)).toEqual({ ok: true, text: '-1.0000' });
    expect(normalizeDecimal('-1.2', SIGNED_UNIT)).toEqual({ ok: false, reason: 'must be in [-1, 1]' });
    expect(normalizeDecimal('-12.5', MONEY)).toEqual({ ok: true, text: '-12.5000' });
    expect(normalizeDecimal('1e10', MONEY)).toEqual({ ok: false, reason: 'does not fit (DECIMAL(14,4))' });
    expect(normalizeDecimal('9999999999.9999', MONEY)).toEqual({ ok: true, text: '9999999999.9999' });
    expect(normalizeDecimal('12.345', CLOCK_SECONDS)).toEqual({ ok: true, text: '12.35' });
    expect(normalizeDecimal('x', PROBABILITY)).toMatchObject({ ok: false, reason: /must be a decimal number/ });
  });

  it('round-trips every value of a scale through text (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 14n), max: 10n ** 14n }), fc.integer({ min: 0, max: 6 }), (units, scale) => {
        expect(toUnits(formatUnits(units, scale), scale)).toBe(units);
      }),
    );
  });

  it('rounds a division half away from zero', () => {
    expect(divideRounded(5n, 2n)).toBe(3n);
    expect(divideRounded(-5n, 2n)).toBe(-3n);
    expect(divideRounded(4n, 3n)).toBe(1n);
    expect(divideRounded(-4n, 3n)).toBe(-1n);
  });
});

describe('position accounting', () => {
  it('adds realized P&L exactly, gross of fees', () => {
    expect(realizedPnlAfter(null, '0.4000', '0.5500', 6)).toBe('0.9000');
    expect(realizedPnlAfter('0.9000', '0.4000', '0.3000', 4)).toBe('0.5000');
    // 0.1 + 0.2 style sums stay exact
    expect(realizedPnlAfter('0.1000', '0.0000', '0.2000', 1)).toBe('0.3000');
  });

  it('averages exit prices by contracts', () => {
    expect(averageExitPrice([{ price: '0.5500', quantity: 6 }, { price: '0.3000', quantity: 4 }])).toBe('0.4500');
    expect(averageExitPrice([{ price: '0.1000', quantity: 1 }, { price: '0.2000', quantity: 2 }])).toBe('0.1667');
    expect(() => averageExitPrice([])).toThrow();
  });

  it('sums optional fees and prices a settled contract by side', () => {
    expect(addFees(null, undefined)).toBeNull();
    expect(addFees('0.0700', null)).toBe('0.0700');
    expect(addFees('0.0700', '0.0350')).toBe('0.1050');
    expect(settlementPriceFor('yes', '1.0000')).toBe('1.0000');
    expect(settlementPriceFor('no', '1.0000')).toBe('0.0000');
    expect(settlementPriceFor('no', '0.2500')).toBe('0.7500');
  });
});
