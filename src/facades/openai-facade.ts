import { InvalidRequestError } from '../errors/errors.js'
import type { CallOptions, ModelListing, RouterClient } from '../router/router-client.js'
import { routerCallOptions, withMetadataTags, type FacadeCallOptions } from './facade-call-options.js'
import { linkedController, startStream, type FacadeStream } from './facade-stream.js'
import { chatRequestFromOpenAI, toOpenAIChunks, toOpenAICompletion } from './openai-dialect.js'
import type {
  OpenAIChatCompletion,
  OpenAIChatCompletionChunk,
  OpenAIChatCompletionParams,
  OpenAIEmbeddingParams,
  OpenAIEmbeddingResponse,
  OpenAIModel,
  OpenAIModelList,
} from './openai-types.js'
import type { ResponsesFacade } from './openai-responses/responses-facade.js'

/** `signal` as in the OpenAI SDK, plus Switchyard's attribution (`tags`, `user`) and `maxCostUsd`. */
export type OpenAIRequestOptions = FacadeCallOptions

/** `router.openai`: the slice of the OpenAI SDK's surface that code written against it calls. */
export interface OpenAIFacade {
  chat: {
    completions: {
      create(params: OpenAIChatCompletionParams & { stream: true }, options?: OpenAIRequestOptions): Promise<FacadeStream<OpenAIChatCompletionChunk>>
      create(params: OpenAIChatCompletionParams & { stream?: false | null }, options?: OpenAIRequestOptions): Promise<OpenAIChatCompletion>
      create(params: OpenAIChatCompletionParams, options?: OpenAIRequestOptions): Promise<OpenAIChatCompletion | FacadeStream<OpenAIChatCompletionChunk>>
    }
  }
  /** The Responses API (stateless): `responses.create(params)`, streamed with `stream: true`. */
  responses: ResponsesFacade
  embeddings: {
    create(params: OpenAIEmbeddingParams, options?: OpenAIRequestOptions): Promise<OpenAIEmbeddingResponse>
  }
  models: {
    /** Every route (owned by `switchyard`) and every `provider/model` id the router knows. */
    list(): Promise<OpenAIModelList>
    retrieve(id: string): Promise<OpenAIModel>
  }
}

/** Little-endian float32 bytes in base64, as OpenAI's `encoding_format: 'base64'` returns them. */
function toBase64Floats(vector: number[]): string {
  const bytes = new Uint8Array(vector.length * 4)
  const view = new DataView(bytes.buffer)
  vector.forEach((value, index) => view.setFloat32(index * 4, value, true))
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary)
}

export function toOpenAIModel(listing: ModelListing): OpenAIModel {
  // Creation time is not meaningful for routes; a fixed 0 keeps the list deterministic.
  return { id: listing.id, object: 'model', created: 0, owned_by: listing.ownedBy }
}

/** `router.openai` without `responses`: what `router.fetch` serves for the OpenAI SDK's chat, embeddings and models. */
export type OpenAIChatFacade = Omit<OpenAIFacade, 'responses'>

export function createOpenAIChatFacade(router: RouterClient): OpenAIChatFacade {
  async function create(params: OpenAIChatCompletionParams, givenOptions: OpenAIRequestOptions = {}): Promise<OpenAIChatCompletion | FacadeStream<OpenAIChatCompletionChunk>> {
    const request = chatRequestFromOpenAI(params)
    const options = withMetadataTags(givenOptions, params.metadata)
    if (!params.stream) {
      return toOpenAICompletion(await router.chat(request, routerCallOptions(options)))
    }
    const { controller, signal } = linkedController(options.signal)
    const chunks = router.stream(request, routerCallOptions(options, signal))
    return startStream(toOpenAIChunks(chunks, params.stream_options?.include_usage === true), controller)
  }

  return {
    chat: { completions: { create: create as OpenAIFacade['chat']['completions']['create'] } },
    embeddings: {
      async create(params, options = {}) {
        const { encoding_format: encoding, user, ...request } = params ?? ({} as OpenAIEmbeddingParams)
        if (encoding !== undefined && encoding !== 'float' && encoding !== 'base64') {
          throw new InvalidRequestError('Invalid request: `encoding_format` must be "float" or "base64".', { status: 400 })
        }
        // An embedding request's `user` is attribution only: no embedding adapter forwards it.
        const result = await router.embed(request, routerCallOptions(typeof user === 'string' && options.user === undefined ? { ...options, user } : options))
        return {
          object: 'list',
          model: result.model,
          data: result.data.map((item) => ({ object: 'embedding', index: item.index, embedding: encoding === 'base64' ? toBase64Floats(item.embedding) : item.embedding })),
          usage: result.usage,
          cost: result.cost,
          route: result.route,
        }
      },
    },
    models: {
      async list() {
        return { object: 'list', data: router.models().map(toOpenAIModel) }
      },
      async retrieve(id) {
        // Any model of a registered provider can be called by id; anything else is a 404.
        return toOpenAIModel(router.model(id))
      },
    },
  }
}
