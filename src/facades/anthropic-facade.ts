import type { RouterClient } from '../router/router-client.js'
import { chatRequestFromAnthropic, toAnthropicMessage } from './anthropic-dialect.js'
import { toAnthropicEvents } from './anthropic-stream.js'
import type { AnthropicMessage, AnthropicMessageParams, AnthropicStreamEvent } from './anthropic-types.js'
import { routerCallOptions, type FacadeCallOptions } from './facade-call-options.js'
import { linkedController, startStream, type FacadeStream } from './facade-stream.js'

/** `signal` as in the Anthropic SDK, plus Switchyard's attribution (`tags`, `user`) and `maxCostUsd`. */
export type AnthropicRequestOptions = FacadeCallOptions

/** `router.anthropic`: the slice of the Anthropic SDK's surface that code written against it calls. */
export interface AnthropicFacade {
  messages: {
    create(params: AnthropicMessageParams & { stream: true }, options?: AnthropicRequestOptions): Promise<FacadeStream<AnthropicStreamEvent>>
    create(params: AnthropicMessageParams & { stream?: false }, options?: AnthropicRequestOptions): Promise<AnthropicMessage>
    create(params: AnthropicMessageParams, options?: AnthropicRequestOptions): Promise<AnthropicMessage | FacadeStream<AnthropicStreamEvent>>
  }
}

export function createAnthropicFacade(router: RouterClient): AnthropicFacade {
  async function create(params: AnthropicMessageParams, options: AnthropicRequestOptions = {}): Promise<AnthropicMessage | FacadeStream<AnthropicStreamEvent>> {
    const request = chatRequestFromAnthropic(params)
    if (!params.stream) return toAnthropicMessage(await router.chat(request, routerCallOptions(options)))
    const { controller, signal } = linkedController(options.signal)
    const chunks = router.stream(request, routerCallOptions(options, signal))
    return startStream(toAnthropicEvents(chunks, String(request.model)), controller)
  }
  return { messages: { create: create as AnthropicFacade['messages']['create'] } }
}
