import type { RouterFeature } from '../router/router-feature.js'
import { lazyAnthropicFacade, lazyOpenAIChatFacade, lazyResponsesFacade } from './lazy-facades.js'

/** `router.fetch` serves OpenAI's Chat Completions and Embeddings (`…/chat/completions`, `…/embeddings`). */
export const openaiEndpoint: RouterFeature = {
  name: 'openaiEndpoint',
  options: [],
  install: ({ slots }) => void (slots.surfaces.openai = lazyOpenAIChatFacade),
}

/** `router.fetch` serves OpenAI's Responses API (`…/responses`, stateless). */
export const responsesEndpoint: RouterFeature = {
  name: 'responsesEndpoint',
  options: [],
  install: ({ slots }) => void (slots.surfaces.responses = lazyResponsesFacade),
}

/** `router.fetch` serves Anthropic's Messages API (`…/messages`, `…/messages/count_tokens`). */
export const anthropicEndpoint: RouterFeature = {
  name: 'anthropicEndpoint',
  options: [],
  install: ({ slots }) => void (slots.surfaces.anthropic = lazyAnthropicFacade),
}
