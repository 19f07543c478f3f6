import { MissingDependencyError } from '../errors/errors.js'

/**
 * A part of Switchyard's own code imported on first use rather than at `import('switchyard')`:
 * V8 compiles every byte a module carries before its first line runs, so code a process may never
 * call (a facade, a provider's translation) costs import time unless it is loaded when needed.
 */
export interface LazyPart<Module> {
  /** The module once loaded, for code that runs only after `load()` has resolved. */
  readonly loaded: Module | undefined
  /** Imports the module once; a failed import is retried on the next call. */
  load(): Promise<Module>
}

/**
 * Wraps the `import()` of a part of the package. The importer must be a literal
 * `() => import('./file.js')`, so bundlers see the file and carry it (inlined in a single-file
 * bundle, a chunk of its own otherwise). A file that cannot be loaded (an incomplete install, a
 * bundler that dropped the chunk) rejects with a `MissingDependencyError` naming the part.
 */
export function lazyPart<Module>(part: string, importer: () => Promise<Module>): LazyPart<Module> {
  let loading: Promise<Module> | undefined
  const state: { loaded: Module | undefined; load(): Promise<Module> } = {
    loaded: undefined,
    load() {
      if (state.loaded) return Promise.resolve(state.loaded)
      return (loading ??= importer().then(
        (module) => (state.loaded = module),
        (error: unknown) => {
          loading = undefined
          throw new MissingDependencyError(`Switchyard could not load ${part}, which it imports on first use: reinstall switchyard, or keep its dist/ chunks in the bundle.`, { cause: error })
        },
      ))
    },
  }
  return state
}

/**
 * Calls into something built on first use: `use(target)` directly once it exists (no extra
 * promise tick on later calls), after `create()` the first time.
 */
export function onFirstUse<Target>(create: () => Promise<Target>): <Result>(use: (target: Target) => Promise<Result>) => Promise<Result> {
  let target: Target | undefined
  let creating: Promise<Target> | undefined
  return (use) => {
    if (target !== undefined) return use(target)
    creating ??= create().then(
      (created) => (target = created),
      (error: unknown) => {
        creating = undefined
        throw error
      },
    )
    return creating.then(use)
  }
}

/**
 * An adapter's operations, built once from its lazily imported code at their first use. The
 * provider kit runs an operation only after the adapter's `loadCode` resolved, so the part is
 * loaded by then.
 */
export function loadedCalls<Module, Calls>(part: LazyPart<Module>, build: (module: Module) => Calls): () => Calls {
  let calls: Calls | undefined
  return () => (calls ??= build(part.loaded!))
}
