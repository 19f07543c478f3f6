/**
 * A map keyed by two values, an outer one then an inner one (a provider, then a model), which takes
 * no new entries once it holds `maxEntries`: for memos keyed by ids callers choose, looked up by the
 * values a caller already has, with no key string built per look-up.
 */
export class BoundedTwoLevelMap<Outer, Inner, Value> {
  private readonly maps = new Map<Outer, Map<Inner, Value>>()
  private entries = 0

  constructor(private readonly maxEntries: number) {}

  /** The entries under `outer`, to tell a kept `undefined` from a missing one with one look-up. */
  entriesOf(outer: Outer): ReadonlyMap<Inner, Value> | undefined {
    return this.maps.get(outer)
  }

  get(outer: Outer, inner: Inner): Value | undefined {
    return this.maps.get(outer)?.get(inner)
  }

  /** Keeps `value` unless the map is full. */
  set(outer: Outer, inner: Inner, value: Value): void {
    if (this.entries >= this.maxEntries) return
    let inners = this.maps.get(outer)
    if (!inners) this.maps.set(outer, (inners = new Map()))
    inners.set(inner, value)
    this.entries += 1
  }
}
