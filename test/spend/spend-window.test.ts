import { describe, expect, it } from 'vitest'
import { ConfigurationError } from '../../src/errors/errors.js'
import { parseDuration, parseWindow } from '../../src/spend/spend-window.js'

describe('spend windows', () => {
  it('parses rolling durations in every unit', () => {
    expect(parseDuration('500ms')).toBe(500)
    expect(parseDuration('90s')).toBe(90_000)
    expect(parseDuration('30m')).toBe(1_800_000)
    expect(parseDuration('1h')).toBe(3_600_000)
    expect(parseDuration('7d')).toBe(604_800_000)
    expect(parseDuration('2w')).toBe(1_209_600_000)
    expect(parseDuration('1.5h')).toBe(5_400_000)
  })

  it.each(['week', '', '0h', '-1h', '1y', 'h', '1 hour', 7, null])('rejects %j with a ConfigurationError naming the entry', (spec) => {
    expect(() => parseWindow(spec, 'budgets[0]')).toThrow(ConfigurationError)
    expect(() => parseWindow(spec, 'budgets[0]')).toThrow(/budgets\[0\]: window .* does not parse/)
  })

  it('a UTC day starts at midnight UTC and its counter is named by the date', () => {
    const window = parseWindow('day', 'test')
    const at = Date.parse('2026-03-14T23:59:59.999Z')
    const position = window.position(at)
    expect(new Date(position.slotStartMs).toISOString()).toBe('2026-03-14T00:00:00.000Z')
    expect(position.periodId).toBe('2026-03-14')
    expect(new Date(window.expiresAt(position.slotStartMs)).toISOString()).toBe('2026-03-15T00:00:00.000Z')
    expect(window.position(at + 1).periodId).toBe('2026-03-15')
  })

  it('a UTC month runs to the first of the next month, across a year end and February', () => {
    const window = parseWindow('month', 'test')
    const december = window.position(Date.parse('2026-12-31T12:00:00Z'))
    expect(december.periodId).toBe('2026-12')
    expect(new Date(window.expiresAt(december.slotStartMs)).toISOString()).toBe('2027-01-01T00:00:00.000Z')
    const february = window.position(Date.parse('2028-02-29T12:00:00Z'))
    expect(new Date(window.expiresAt(february.slotStartMs)).toISOString()).toBe('2028-03-01T00:00:00.000Z')
  })

  it('a rolling hour counts in one-minute slots, each until a full hour after its slot ends', () => {
    const window = parseWindow('1h', 'test')
    expect(window.slotMs).toBe(60_000)
    const now = Date.parse('2026-03-14T10:30:20Z')
    const position = window.position(now)
    expect(new Date(position.slotStartMs).toISOString()).toBe('2026-03-14T10:30:00.000Z')
    // The slot that started at 09:30:00 still has a second (09:30:20) inside the last hour.
    expect(position.countsFromMs).toBeLessThanOrEqual(Date.parse('2026-03-14T09:30:00Z'))
    expect(position.countsFromMs).toBeGreaterThan(Date.parse('2026-03-14T09:29:00Z'))
    expect(new Date(window.expiresAt(Date.parse('2026-03-14T09:30:00Z'))).toISOString()).toBe('2026-03-14T10:31:00.000Z')
  })
})
