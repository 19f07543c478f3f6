import { AbortedError, StreamConsumedError } from '../errors/errors.js'
import type { ChatChunk, ChatResult } from '../spec/response.js'
import type { RouterStream } from './router-client.js'

/**
 * What `router.stream()` returns: iterate it for OpenAI-shaped chunks (the last carries usage,
 * cost and route), or await `finalResult()` for the assembled result. It can be iterated once.
 */
export class ChatStream implements RouterStream {
  private started = false
  private resolveResult!: (result: ChatResult) => void
  private rejectResult!: (error: unknown) => void
  private readonly result: Promise<ChatResult>

  constructor(private readonly produce: (onResult: (result: ChatResult) => void) => AsyncGenerator<ChatChunk>) {
    this.result = new Promise<ChatResult>((resolve, reject) => {
      this.resolveResult = resolve
      this.rejectResult = reject
    })
    // The result promise is optional to observe; its rejection is also delivered through iteration.
    this.result.catch(() => {})
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<ChatChunk> {
    if (this.started) throw new StreamConsumedError('This stream has already been consumed; call router.stream() again for a new one.')
    this.started = true
    try {
      yield* this.produce(this.resolveResult)
    } catch (error) {
      this.rejectResult(error)
      throw error
    } finally {
      // A no-op once the result is settled; otherwise the consumer stopped reading early.
      this.rejectResult(new AbortedError('The stream was closed before it finished, so it has no final result.'))
    }
  }

  /** The assembled result. Consumes the stream if nobody is iterating it. */
  async finalResult(): Promise<ChatResult> {
    if (!this.started) {
      for await (const _chunk of this) {
        // Drained for the side effect of assembling the result.
      }
    }
    return this.result
  }
}
