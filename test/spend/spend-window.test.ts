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
    const slot = window.slotAt(at)
    expect(new Date(slot.startMs).toISOString()).toBe('2026-03-14T00:00:00.000Z')
    expect(slot.name).toBe(String(slot.startMs))
    expect(slot.countsFrom(at)).toBe(slot.startMs)
    expect(slot.periodId).toBe('2026-03-14')
    expect(new Date(window.expiresAt(slot.startMs)).toISOString()).toBe('2026-03-15T00:00:00.000Z')
    expect(new Date(slot.endMs).toISOString()).toBe('2026-03-15T00:00:00.000Z')
    // The counter lives to the period's end and a day beyond it, for a settlement that arrives late.
    expect(slot.ttl(at)).toBe(1 + 86_400_000)
    expect(window.slotAt(at + 1).periodId).toBe('2026-03-15')
    // Asked about an earlier instant again, it answers for that instant's period.
    expect(window.slotAt(at).periodId).toBe('2026-03-14')
  })

  it('a UTC month runs to the first of the next month, across a year end and February', () => {
    const window = parseWindow('month', 'test')
    const december = window.slotAt(Date.parse('2026-12-31T12:00:00Z'))
    expect(december.periodId).toBe('2026-12')
    expect(new Date(window.expiresAt(december.startMs)).toISOString()).toBe('2027-01-01T00:00:00.000Z')
    expect(new Date(december.endMs).toISOString()).toBe('2027-01-01T00:00:00.000Z')
    const february = window.slotAt(Date.parse('2028-02-29T12:00:00Z'))
    expect(new Date(window.expiresAt(february.startMs)).toISOString()).toBe('2028-03-01T00:00:00.000Z')
  })

  it('a rolling hour counts in one-minute slots, each until a full hour after its slot ends', () => {
    const window = parseWindow('1h', 'test')
    expect(window.slotMs).toBe(60_000)
    const now = Date.parse('2026-03-14T10:30:20Z')
    const slot = window.slotAt(now)
    expect(new Date(slot.startMs).toISOString()).toBe('2026-03-14T10:30:00.000Z')
    expect(new Date(slot.endMs).toISOString()).toBe('2026-03-14T10:31:00.000Z')
    // The slot that started at 09:30:00 still has a second (09:30:20) inside the last hour.
    expect(slot.countsFrom(now)).toBeLessThanOrEqual(Date.parse('2026-03-14T09:30:00Z'))
    expect(slot.countsFrom(now)).toBeGreaterThan(Date.parse('2026-03-14T09:29:00Z'))
    // ... until 10:31:00, when it has none.
    expect(slot.countsFrom(Date.parse('2026-03-14T10:31:00Z'))).toBeGreaterThan(Date.parse('2026-03-14T09:30:00Z'))
    expect(slot.ttl(now)).toBe(3_600_000 + 2 * 60_000)
    expect(slot.periodId).toBe('rolling')
    expect(new Date(window.expiresAt(Date.parse('2026-03-14T09:30:00Z'))).toISOString()).toBe('2026-03-14T10:31:00.000Z')
  })
})
