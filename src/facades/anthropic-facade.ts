import type { Router } from '../router/router.js'
import type { CallCacheOptions } from '../state/response-cache.js'
import { chatRequestFromAnthropic, toAnthropicMessage } from './anthropic-dialect.js'
import { toAnthropicEvents } from './anthropic-stream.js'
import type { AnthropicMessage, AnthropicMessageParams, AnthropicStreamEvent } from './anthropic-types.js'
import { linkedController, startStream, type FacadeStream } from './facade-stream.js'

export interface AnthropicRequestOptions {
  signal?: AbortSignal
  /** The response cache for this call, as in `router.chat(request, { cache })`. */
  cache?: CallCacheOptions | false
}

/** `router.anthropic`: the slice of the Anthropic SDK's surface that code written against it calls. */
export interface AnthropicFacade {
  messages: {
    create(params: AnthropicMessageParams & { stream: true }, options?: AnthropicRequestOptions): Promise<FacadeStream<AnthropicStreamEvent>>
    create(params: AnthropicMessageParams & { stream?: false }, options?: AnthropicRequestOptions): Promise<AnthropicMessage>
    create(params: AnthropicMessageParams, options?: AnthropicRequestOptions): Promise<AnthropicMessage | FacadeStream<AnthropicStreamEvent>>
  }
}

export function createAnthropicFacade(router: Router): AnthropicFacade {
  async function create(params: AnthropicMessageParams, options: AnthropicRequestOptions = {}): Promise<AnthropicMessage | FacadeStream<AnthropicStreamEvent>> {
    const request = chatRequestFromAnthropic(params)
    const cache = options.cache !== undefined ? { cache: options.cache } : {}
    if (!params.stream) return toAnthropicMessage(await router.chat(request, options.signal ? { signal: options.signal, ...cache } : cache))
    const { controller, signal } = linkedController(options.signal)
    const chunks = router.stream(request, { signal, ...cache })
    return startStream(toAnthropicEvents(chunks, String(request.model)), controller)
  }
  return { messages: { create: create as AnthropicFacade['messages']['create'] } }
}
