import type { RouterFeature } from '../router/router-feature.js'
import { createAnthropicFacade } from './anthropic-facade.js'
import { createOpenAIChatFacade } from './openai-facade.js'
import { createResponsesFacade } from './openai-responses/responses-facade.js'

/** `router.fetch` serves OpenAI's Chat Completions and Embeddings (`…/chat/completions`, `…/embeddings`). */
export const openaiEndpoint: RouterFeature = {
  name: 'openaiEndpoint',
  options: [],
  install: ({ slots }) => void (slots.surfaces.openai = createOpenAIChatFacade),
}

/** `router.fetch` serves OpenAI's Responses API (`…/responses`, stateless). */
export const responsesEndpoint: RouterFeature = {
  name: 'responsesEndpoint',
  options: [],
  install: ({ slots }) => void (slots.surfaces.responses = createResponsesFacade),
}

/** `router.fetch` serves Anthropic's Messages API (`…/messages`, `…/messages/count_tokens`). */
export const anthropicEndpoint: RouterFeature = {
  name: 'anthropicEndpoint',
  options: [],
  install: ({ slots }) => void (slots.surfaces.anthropic = createAnthropicFacade),
}
