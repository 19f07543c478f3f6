import type { AnthropicFacade } from './anthropic-facade.js'
import type { OpenAIChatFacade } from './openai-facade.js'
import type { ResponsesFacade } from './openai-responses/responses-facade.js'

/**
 * The API surfaces `router.fetch` can serve; a path whose surface is absent is a 404 that names
 * what is served. `GET …/models` is served in both dialects whatever the surfaces.
 */
export interface FetchSurfaces {
  /** OpenAI's `POST …/chat/completions` and `POST …/embeddings`. */
  openai?: OpenAIChatFacade
  /** OpenAI's `POST …/responses` (stateless). */
  responses?: ResponsesFacade
  /** Anthropic's `POST …/messages` and `POST …/messages/count_tokens`. */
  anthropic?: AnthropicFacade
}
