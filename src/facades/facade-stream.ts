import { returnThis } from '../internal/return-this.js'

/**
 * What a facade's `create({ stream: true })` resolves to: the dialect's events, plus the
 * `controller` the official SDKs' streams also carry (aborting it cancels the routed call).
 */
export interface FacadeStream<T> extends AsyncIterable<T> {
  readonly controller: AbortController
}

/**
 * A controller of our own that the caller's signal (if any) also aborts, so either one aborts the
 * call. (One controller and one listener: the call is handed the controller's signal.)
 */
export function linkedController(signal: AbortSignal | undefined): { controller: AbortController; signal: AbortSignal } {
  const controller = new AbortController()
  if (signal?.aborted) controller.abort(signal.reason)
  else signal?.addEventListener('abort', () => controller.abort(signal.reason), { once: true })
  return { controller, signal: controller.signal }
}

const finished: IteratorReturnResult<undefined> = Object.freeze({ value: undefined, done: true })

/**
 * `source`'s items, each converted by `convert` into zero or more items (pushed onto `out`), and
 * `flush`'s after the last. A plain iterator, not an async generator: a generator adds its own
 * queue and several promise ticks to every item, and a stream's items pass through each layer.
 * Leaving early (`return`) closes `source`.
 */
export function expandingIterator<Item, Converted>(
  source: AsyncIterator<Item>,
  convert: (item: Item, out: Converted[]) => void,
  flush?: (out: Converted[]) => void,
): AsyncIterableIterator<Converted> {
  const ready: Converted[] = []
  let readIndex = 0
  let ended = false
  const take = (): IteratorResult<Converted> | undefined => {
    if (readIndex < ready.length) {
      const value = ready[readIndex++]!
      if (readIndex === ready.length) ready.length = readIndex = 0
      return { value, done: false }
    }
    return ended ? finished : undefined
  }
  const step = (result: IteratorResult<Item>): IteratorResult<Converted> | Promise<IteratorResult<Converted>> => {
    if (result.done) {
      ended = true
      flush?.(ready)
    } else convert(result.value, ready)
    return take() ?? source.next().then(step)
  }
  return {
    next: () => {
      const taken = take()
      return taken ? Promise.resolve(taken) : source.next().then(step)
    },
    return: async (value?: unknown) => {
      ended = true
      ready.length = readIndex = 0
      await source.return?.(value)
      return finished
    },
    [Symbol.asyncIterator]: returnThis,
  }
}

/**
 * Waits for the first item before resolving, as the official SDKs do: a call that fails before
 * its first token (unknown model, every provider down) rejects here, so an HTTP endpoint can still
 * answer with a proper status instead of a broken stream. Iterating it hands on `source`'s own
 * iterator after that first item (no wrapping layer per item).
 */
export async function startStream<T>(source: AsyncIterable<T>, controller: AbortController): Promise<FacadeStream<T>> {
  const iterator = source[Symbol.asyncIterator]()
  const first = await iterator.next()
  let consumed = false
  return {
    controller,
    [Symbol.asyncIterator](): AsyncIterableIterator<T> {
      if (consumed) throw new Error('This stream has already been consumed; make a new call for a new stream.')
      consumed = true
      let pendingFirst: IteratorResult<T> | undefined = first
      return {
        next: () => {
          if (pendingFirst === undefined) return iterator.next()
          const result = pendingFirst
          pendingFirst = undefined
          return Promise.resolve(result)
        },
        // Stops the routed call when the consumer leaves early; a no-op after a complete stream.
        return: async (value?: unknown) => {
          pendingFirst = undefined
          await iterator.return?.(value)
          return finished
        },
        [Symbol.asyncIterator]: returnThis,
      }
    },
  }
}
