import type { RouterClient } from '../router/router-client.js'
import { chatRequestFromAnthropic, toAnthropicMessage } from './anthropic-dialect.js'
import { toAnthropicEvents } from './anthropic-stream.js'
import type { AnthropicCountTokensParams, AnthropicMessage, AnthropicMessageParams, AnthropicStreamEvent, AnthropicTokenCount } from './anthropic-types.js'
import type { ChatRequest } from '../spec/request.js'
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
    /**
     * Input tokens of a request, counted by the provider of the model it names (a route: its first
     * model) — Anthropic's and Gemini's counting endpoints, OpenAI models' public tokenizers. Any
     * other model is a 400 `UnsupportedFeatureError`, never an estimate.
     */
    countTokens(params: AnthropicCountTokensParams, options?: AnthropicRequestOptions): Promise<AnthropicTokenCount>
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
  async function countTokens(params: AnthropicCountTokensParams, options: AnthropicRequestOptions = {}): Promise<AnthropicTokenCount> {
    // Counting needs no output budget; a placeholder satisfies the translation and is not sent.
    const { max_tokens: _placeholder, ...request } = chatRequestFromAnthropic({ ...(params as AnthropicMessageParams), max_tokens: 1 })
    const counted = await router.countTokens(request as ChatRequest, options.signal ? { signal: options.signal } : {})
    return { input_tokens: counted.inputTokens, model: counted.model }
  }
  return { messages: { create: create as AnthropicFacade['messages']['create'], countTokens } }
}
