import { BoundedTwoLevelMap } from './bounded-two-level-map.js'
import type { ModelPrice } from '../spec/cost.js'
import type { CatalogModelList } from '../spec/provider-adapter.js'

/** What the catalog says about a model without loading it: enough to validate a route and, mostly, to price it. */
export interface IndexedModel {
  contextWindow?: number
  /** The catalog has token prices for it (input and output, or input only for a model with no output). */
  priced: boolean
  /**
   * Its catalog price, as `lookupCatalog` reads it, when that price is the same at every date and
   * hour; absent for an unpriced model and for one whose price depends on when it is called
   * (only the full catalog knows that one).
   */
  price?: ModelPrice
}

/** 0: no token prices; 1: prices that depend on the date or time of day; else the price itself. */
function indexedModel(contextWindow: number, price: 0 | 1 | ModelPrice): IndexedModel {
  const model: IndexedModel = contextWindow > 0 ? { contextWindow, priced: price !== 0 } : { priced: price !== 0 }
  if (typeof price === 'object') model.price = price
  return model
}

/** A match rule as the generated lists store it (see src/providers/catalog-models/). */
type CompactRule = string | [string, ...CompactRule[]]

/** One list entry as stored: [rule, context window, price]. */
type CompactEntry = [CompactRule, number, 0 | 1 | ModelPrice]

/**
 * Whether `name` matches `rule`. Rules are read as they are stored, at each look-up, rather than
 * compiled into a function per entry first: a router's first call looks one model up, and making a
 * matcher for each of a list's ~100 entries (OpenAI's) made that first look-up 0.74 ms instead of
 * 0.53 ms in a fresh process. Answers are kept (`answers`), so a list is scanned once per model
 * name.
 */
function matches(rule: CompactRule, name: string): boolean {
  if (Array.isArray(rule)) {
    const [kind] = rule
    for (let index = 1; index < rule.length; index += 1) {
      const matched = matches(rule[index] as CompactRule, name)
      if (kind === 'and' ? !matched : matched) return matched
    }
    return kind === 'and'
  }
  const text = rule.slice(1)
  switch (rule[0]) {
    case '=':
      return name === text
    case '^':
      return name.startsWith(text)
    case '$':
      return name.endsWith(text)
    case '~':
      return name.includes(text)
    default:
      // V8 keeps each pattern compiled (its regexp cache), so a look-up makes no more than an object.
      return new RegExp(text).test(name)
  }
}

const maxAnswers = 1_000

// The catalog also reads `...-20250514` as `...-2025-05-14` when the name as given matches nothing.
const compactDate = /(-)(20\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?=-|:|$)/g

function withDashedDates(name: string): string {
  // Only a real calendar date: a day past the month's end rolls over into the next month.
  return name.replace(compactDate, (whole, dash: string, year: string, month: string, day: string) =>
    new Date(Date.UTC(+year, +month - 1, +day)).getUTCDate() === +day ? `${dash}${year}-${month}-${day}` : whole,
  )
}

/**
 * The price catalog's model names, context windows and (static) prices for each provider of a
 * router, from the lists its adapters carry (`catalogModels`, generated from the catalog), so
 * `createRouter()` validates routes, and calls are priced, without loading the catalog. Models are matched by the catalog's own rules, in
 * its order. One per router; each list is parsed the first time it is asked for.
 */
export class CatalogModelIndex {
  /** Each list's entries, parsed the first time the list is asked for. */
  private readonly parsed = new Map<CatalogModelList, CompactEntry[]>()
  /** Answers by list set, then model name: strategies ask for context windows on every call. Bounded. */
  private readonly answers = new BoundedTwoLevelMap<readonly CatalogModelList[], string, IndexedModel | null>(maxAnswers)

  /**
   * `undefined` when the lists cannot tell (an adapter that carries none: only the full catalog
   * knows); `null` when the catalog has no such model.
   */
  lookUp(lists: readonly CatalogModelList[] | undefined, model: string): IndexedModel | null | undefined {
    if (!lists || lists.length === 0) return undefined
    let answer = this.answers.get(lists, model)
    if (answer !== undefined) return answer
    const name = model.toLowerCase().trim()
    const dashed = withDashedDates(name)
    answer = this.find(lists, name) ?? ((dashed !== name && this.find(lists, dashed)) || null)
    this.answers.set(lists, model, answer)
    return answer
  }

  private find(lists: readonly CatalogModelList[], name: string): IndexedModel | undefined {
    for (const list of lists) {
      for (const [rule, contextWindow, price] of this.entries(list)) if (matches(rule, name)) return indexedModel(contextWindow, price)
    }
    return undefined
  }

  private entries(list: CatalogModelList): CompactEntry[] {
    let entries = this.parsed.get(list)
    if (!entries) this.parsed.set(list, (entries = JSON.parse(list.models) as CompactEntry[]))
    return entries
  }
}
