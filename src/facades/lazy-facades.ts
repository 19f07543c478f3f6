// The drop-in surfaces as the router hands them out: each is async at first use, so its code (the
// dialect translations, the HTTP endpoint) is imported on its first request, not with the package.
import { lazyPart, onFirstUse } from '../internal/lazy-part.js'
import type { RouterClient } from '../router/router-client.js'
import type { AnthropicFacade } from './anthropic-facade.js'
import type { FetchHandler, HttpEndpointHost, HttpEndpointOptions } from './fetch-handler.js'
import type { FetchSurfaces } from './fetch-surfaces.js'
import type { OpenAIChatFacade } from './openai-facade.js'
import type { ResponsesFacade, ResponsesRouter } from './openai-responses/responses-facade.js'

const openaiCode = /* @__PURE__ */ lazyPart('router.openai', () => import('./openai-facade.js'))
const responsesCode = /* @__PURE__ */ lazyPart('router.openai.responses', () => import('./openai-responses/responses-facade.js'))
const anthropicCode = /* @__PURE__ */ lazyPart('router.anthropic', () => import('./anthropic-facade.js'))
const fetchCode = /* @__PURE__ */ lazyPart('router.fetch', () => import('./fetch-handler.js'))

/** `router.openai` without `responses` (chat completions, embeddings, models). */
export function lazyOpenAIChatFacade(router: RouterClient): OpenAIChatFacade {
  const use = onFirstUse(() => openaiCode.load().then((code) => code.createOpenAIChatFacade(router)))
  return {
    chat: {
      completions: {
        create: ((params, options) => use((facade) => facade.chat.completions.create(params, options))) as OpenAIChatFacade['chat']['completions']['create'],
      },
    },
    embeddings: { create: (params, options) => use((facade) => facade.embeddings.create(params, options)) },
    models: {
      list: () => use((facade) => facade.models.list()),
      retrieve: (id) => use((facade) => facade.models.retrieve(id)),
    },
  }
}

/** `router.openai.responses`: OpenAI's Responses API. */
export function lazyResponsesFacade(router: ResponsesRouter): ResponsesFacade {
  const use = onFirstUse(() => responsesCode.load().then((code) => code.createResponsesFacade(router)))
  return { create: ((params, options) => use((facade) => facade.create(params, options))) as ResponsesFacade['create'] }
}

/** `router.anthropic`: Anthropic's Messages API. */
export function lazyAnthropicFacade(router: RouterClient): AnthropicFacade {
  const use = onFirstUse(() => anthropicCode.load().then((code) => code.createAnthropicFacade(router)))
  return {
    messages: {
      create: ((params, options) => use((facade) => facade.messages.create(params, options))) as AnthropicFacade['messages']['create'],
      countTokens: (params, options) => use((facade) => facade.messages.countTokens(params, options)),
    },
  }
}

/**
 * `router.fetch`: the handler is built on the first request. A load failure is answered like
 * any other rejection of `fetch`: the promise rejects, here with a `MissingDependencyError`.
 */
export function lazyFetchHandler(router: RouterClient, surfaces: FetchSurfaces, options: HttpEndpointOptions, host: HttpEndpointHost): FetchHandler {
  const use = onFirstUse(() => fetchCode.load().then((code) => code.createFetchHandler(router, surfaces, options, host)))
  return (input, init, platform) => use((handler) => handler(input, init, platform))
}
