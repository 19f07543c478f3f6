import { AbortedError, StreamConsumedError } from '../errors/errors.js'
import type { ChatChunk, ChatResult } from '../spec/response.js'
import type { RouterStream } from './router-client.js'
import { returnThis } from '../internal/return-this.js'

/**
 * What `router.stream()` returns: iterate it for OpenAI-shaped chunks (the last carries usage,
 * cost and route), or await `finalResult()` for the assembled result. It can be iterated once.
 */
export class ChatStream implements RouterStream {
  private started = false
  /** How the stream ended, once it has: the first of its result or its failure. */
  private outcome: { readonly result: ChatResult } | { readonly error: unknown } | undefined
  /** `finalResult()`'s promise, made only when it is asked for before the end (most callers just iterate). */
  private pending: Promise<ChatResult> | undefined
  private settlePending: { resolve(result: ChatResult): void; reject(error: unknown): void } | undefined

  private readonly resolveResult = (result: ChatResult): void => {
    if (this.outcome) return
    this.outcome = { result }
    this.settlePending?.resolve(result)
  }

  private readonly rejectResult = (error: unknown): void => {
    if (this.outcome) return
    this.outcome = { error }
    this.settlePending?.reject(error)
  }

  /**
   * `produce` makes the stream's chunks; once under way it calls `onResult` with the assembled
   * result before its last chunk, and `onFailure` with whatever ends it otherwise (an error it
   * throws, the consumer leaving early), so that nothing needs to watch every chunk.
   */
  constructor(private readonly produce: (onResult: (result: ChatResult) => void, onFailure: (error: unknown) => void) => AsyncIterator<ChatChunk>) {}

  [Symbol.asyncIterator](): AsyncIterableIterator<ChatChunk> {
    if (this.started) {
      const consumed = new StreamConsumedError('This stream has already been consumed; call router.stream() again for a new one.')
      return { next: () => Promise.reject(consumed), [Symbol.asyncIterator]: returnThis }
    }
    this.started = true
    // The producer's own iterator, not wrapped in a generator, which would add its queue and
    // ticks to every chunk. It settles the result itself once it is under way, so only its
    // start (which may fail before that) and leaving early (possibly before it ever ran) are watched.
    const inner = this.produce(this.resolveResult, this.rejectResult)
    const failed = (error: unknown): never => {
      this.rejectResult(error)
      throw error
    }
    // The consumer stopped reading early. (Checked first: an error is dear to make, and a finished
    // stream needs none.)
    const closed = () => {
      if (!this.outcome) this.rejectResult(new AbortedError('The stream was closed before it finished, so it has no final result.'))
    }
    let starting = true
    return {
      next: () => {
        if (!starting) return inner.next()
        starting = false
        return inner.next().catch(failed)
      },
      return: (value?: unknown) => (inner.return ? inner.return(value) : Promise.resolve<IteratorResult<ChatChunk>>({ value: undefined, done: true })).catch(failed).finally(closed),
      throw: (error?: unknown) => (inner.throw ? inner.throw(error) : Promise.reject(error)).catch(failed),
      [Symbol.asyncIterator]: returnThis,
    }
  }

  /** The assembled result. Consumes the stream if nobody is iterating it. */
  async finalResult(): Promise<ChatResult> {
    if (!this.started) {
      for await (const _chunk of this) {
        // Drained for the side effect of assembling the result.
      }
    }
    const outcome = this.outcome
    if (outcome) return 'result' in outcome ? outcome.result : Promise.reject(outcome.error)
    return (this.pending ??= new Promise<ChatResult>((resolve, reject) => (this.settlePending = { resolve, reject })))
  }
}
