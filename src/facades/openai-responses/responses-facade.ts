import type { RouterClient } from '../../router/router-client.js'
import { routerCallOptions, withMetadataTags, type FacadeCallOptions } from '../facade-call-options.js'
import { linkedController, startStream, type FacadeStream } from '../facade-stream.js'
import { chatRequestFromResponses } from './responses-request.js'
import { toResponseObject } from './responses-response.js'
import { toResponseEvents } from './responses-stream.js'
import type { ResponseCreateParams, ResponseObject, ResponseStreamEvent } from './responses-types.js'

/** `signal` as in the OpenAI SDK, plus Switchyard's attribution (`tags`, `user`) and `maxCostUsd`. */
export type ResponsesRequestOptions = FacadeCallOptions

/** What the Responses facade needs from a router: routed chat calls and streams, nothing internal. */
export type ResponsesRouter = Pick<RouterClient, 'chat' | 'stream'>

/** `router.openai.responses`: OpenAI's Responses API, stateless, served by any model the router has. */
export interface ResponsesFacade {
  create(params: ResponseCreateParams & { stream: true }, options?: ResponsesRequestOptions): Promise<FacadeStream<ResponseStreamEvent>>
  create(params: ResponseCreateParams & { stream?: false | null }, options?: ResponsesRequestOptions): Promise<ResponseObject>
  create(params: ResponseCreateParams, options?: ResponsesRequestOptions): Promise<ResponseObject | FacadeStream<ResponseStreamEvent>>
}

export function createResponsesFacade(router: ResponsesRouter): ResponsesFacade {
  async function create(params: ResponseCreateParams, givenOptions: ResponsesRequestOptions = {}): Promise<ResponseObject | FacadeStream<ResponseStreamEvent>> {
    const request = chatRequestFromResponses(params)
    const options = withMetadataTags(givenOptions, params.metadata)
    if (!params.stream) {
      return toResponseObject(await router.chat(request, routerCallOptions(options)), params)
    }
    const { controller, signal } = linkedController(options.signal)
    return startStream(toResponseEvents(router.stream(request, routerCallOptions(options, signal)), params, signal), controller)
  }
  return { create: create as ResponsesFacade['create'] }
}
