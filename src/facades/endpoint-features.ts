import type { RouterFeature } from '../router/router-feature.js'
import { lazyAnthropicFacade, lazyFetchHandler, lazyOpenAIChatFacade, lazyResponsesFacade } from './lazy-facades.js'

// Each surface brings router.fetch's dispatcher with it: a router without any carries none.

/** `router.fetch` serves OpenAI's Chat Completions and Embeddings (`…/chat/completions`, `…/embeddings`). */
export const openaiEndpoint: RouterFeature = {
  name: 'openaiEndpoint',
  options: [],
  install({ slots }) {
    slots.surfaces.openai = lazyOpenAIChatFacade
    slots.createFetchHandler = lazyFetchHandler
  },
}

/** `router.fetch` serves OpenAI's Responses API (`…/responses`, stateless). */
export const responsesEndpoint: RouterFeature = {
  name: 'responsesEndpoint',
  options: [],
  install({ slots }) {
    slots.surfaces.responses = lazyResponsesFacade
    slots.createFetchHandler = lazyFetchHandler
  },
}

/** `router.fetch` serves Anthropic's Messages API (`…/messages`, `…/messages/count_tokens`). */
export const anthropicEndpoint: RouterFeature = {
  name: 'anthropicEndpoint',
  options: [],
  install({ slots }) {
    slots.surfaces.anthropic = lazyAnthropicFacade
    slots.createFetchHandler = lazyFetchHandler
  },
}
