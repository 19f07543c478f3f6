import { catalogModels, catalogProviders } from './catalog-model-index.js'

/** What the catalog says about a model without loading it: enough to validate a route. */
export interface IndexedModel {
  contextWindow?: number
  /** The catalog has token prices for it (input and output, or input only for a model with no output). */
  priced: boolean
}

/** A match rule as the generated index stores it (see catalog-model-index.ts). */
type CompactRule = string | [string, ...CompactRule[]]

type Matcher = (name: string) => boolean

function compile(rule: CompactRule): Matcher {
  if (Array.isArray(rule)) {
    const [kind, ...parts] = rule
    const matchers = parts.map(compile)
    return kind === 'and' ? (name) => matchers.every((matcher) => matcher(name)) : (name) => matchers.some((matcher) => matcher(name))
  }
  const text = rule.slice(1)
  switch (rule[0]) {
    case '=':
      return (name) => name === text
    case '^':
      return (name) => name.startsWith(text)
    case '$':
      return (name) => name.endsWith(text)
    case '~':
      return (name) => name.includes(text)
    default: {
      const pattern = new RegExp(text)
      return (name) => pattern.test(name)
    }
  }
}

interface ModelEntry {
  matches: Matcher
  model: IndexedModel
}

// The catalog also reads `...-20250514` as `...-2025-05-14` when the name as given matches nothing.
const compactDate = /(-)(20\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?=-|:|$)/g

function withDashedDates(name: string): string {
  return name.replace(compactDate, (whole, dash: string, year: string, month: string, day: string) => {
    const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)))
    const valid = date.getUTCFullYear() === Number(year) && date.getUTCMonth() === Number(month) - 1 && date.getUTCDate() === Number(day)
    return valid ? `${dash}${year}-${month}-${day}` : whole
  })
}

/**
 * The price catalog's model names and context windows, from the index generated at build time
 * (scripts/generate-model-index.ts), so `createRouter()` validates routes without loading the
 * catalog. Models are matched by the catalog's own rules, in its order. One per router; each
 * provider's entries are parsed the first time they are asked for.
 */
export class CatalogModelIndex {
  private providers: Array<{ id: string; matches: Matcher | null; fallbacks: string[] }> | undefined
  private readonly models = new Map<string, ModelEntry[]>()

  /**
   * `undefined` when the index cannot tell (a catalog provider it does not cover: only the full
   * catalog knows); `null` when the catalog has no such model (or no such provider).
   */
  lookUp(catalogProviderId: string, model: string): IndexedModel | null | undefined {
    const provider = this.provider(catalogProviderId)
    // The catalog has no such provider, so no model of it; except `litellm`, which it reads from the model name.
    if (!provider) return catalogProviderId.toLowerCase().trim() === 'litellm' ? undefined : null
    const entries = this.entries(provider.id)
    if (!entries) return undefined
    const name = model.toLowerCase().trim()
    const found = this.find(entries, provider.fallbacks, name)
    if (found !== undefined) return found
    const dashed = withDashedDates(name)
    return (dashed !== name && this.find(entries, provider.fallbacks, dashed)) || null
  }

  private find(entries: ModelEntry[], fallbacks: readonly string[], name: string): IndexedModel | undefined {
    for (const entry of entries) if (entry.matches(name)) return entry.model
    for (const fallback of fallbacks) {
      for (const entry of this.entries(fallback) ?? []) if (entry.matches(name)) return entry.model
    }
    return undefined
  }

  /** Resolves a provider id as the catalog does: by id, else by the first provider whose rule matches it. */
  private provider(id: string) {
    this.providers ??= (JSON.parse(catalogProviders) as Array<[string, CompactRule | null, string[]]>).map(([providerId, rule, fallbacks]) => ({
      id: providerId,
      matches: rule === null ? null : compile(rule),
      fallbacks,
    }))
    const name = id.toLowerCase().trim()
    return this.providers.find((provider) => provider.id === name) ?? this.providers.find((provider) => provider.matches?.(name))
  }

  private entries(providerId: string): ModelEntry[] | undefined {
    let entries = this.models.get(providerId)
    if (entries) return entries
    const json = catalogModels[providerId]
    if (json === undefined) return undefined
    entries = (JSON.parse(json) as Array<[CompactRule, number, 0 | 1]>).map(([rule, contextWindow, priced]) => ({
      matches: compile(rule),
      model: contextWindow > 0 ? { contextWindow, priced: priced === 1 } : { priced: priced === 1 },
    }))
    this.models.set(providerId, entries)
    return entries
  }
}
