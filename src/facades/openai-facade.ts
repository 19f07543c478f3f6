import { InvalidRequestError } from '../errors/errors.js'
import type { CallOptions, Router } from '../router/router.js'
import { routerCallOptions, type FacadeCallOptions } from './facade-call-options.js'
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

function listModels(router: Router): OpenAIModel[] {
  // Creation time is not meaningful for routes; a fixed 0 keeps the list deterministic.
  const models = new Map<string, OpenAIModel>()
  const add = (id: string, ownedBy: string) => {
    if (!models.has(id)) models.set(id, { id, object: 'model', created: 0, owned_by: ownedBy })
  }
  for (const name of router.routes) add(name, 'switchyard')
  for (const name of router.routes) {
    for (const id of router.routeModels(name) ?? []) add(id, id.slice(0, id.indexOf('/')))
  }
  for (const provider of router.providers) {
    for (const model of router.services.provider(provider)?.models ?? []) add(`${provider}/${model}`, provider)
  }
  return [...models.values()]
}

export function createOpenAIFacade(router: Router): OpenAIFacade {
  async function create(params: OpenAIChatCompletionParams, options: OpenAIRequestOptions = {}): Promise<OpenAIChatCompletion | FacadeStream<OpenAIChatCompletionChunk>> {
    const request = chatRequestFromOpenAI(params)
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
        return { object: 'list', data: listModels(router) }
      },
      async retrieve(id) {
        const listed = listModels(router).find((model) => model.id === id)
        if (listed) return listed
        // Any model of a registered provider can be called by id; an unknown provider is a 404.
        const candidate = router.resolveCandidate(id)
        return { id, object: 'model', created: 0, owned_by: candidate.provider }
      },
    },
  }
}
