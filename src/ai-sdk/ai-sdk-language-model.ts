import type {
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3GenerateResult,
  LanguageModelV3StreamPart,
  LanguageModelV3StreamResult,
} from '@ai-sdk/provider'
import type { RouterStream } from '../router/router-client.js'
import type { RouterClient } from '../router/router-client.js'
import type { ChatRequest } from '../spec/request.js'
import type { ChatChunk } from '../spec/response.js'
import { parametersFromCallOptions } from './ai-sdk-prompt.js'
import { contentOf, finishReasonOf, reasoningMetadata, routeMetadata, usageOf } from './ai-sdk-result.js'

/** What the AI SDK provider needs from a router: routed chat calls and streams. */
export type AiSdkRouter = Pick<RouterClient, 'chat' | 'stream'>

/**
 * A route, a `provider/model` id or an ad-hoc fallback chain as an AI SDK language model
 * (specification v3, what `ai@6` calls). Every call runs through the router with its strategy;
 * cost and route arrive in `providerMetadata.switchyard`.
 */
export class SwitchyardLanguageModel implements LanguageModelV3 {
  readonly specificationVersion = 'v3' as const
  readonly provider = 'switchyard'
  readonly modelId: string
  /** URLs are passed through as image URLs; the providers fetch them, so the AI SDK need not download them. */
  readonly supportedUrls = { 'image/*': [/^https?:\/\/.*$/] }

  constructor(
    private readonly router: AiSdkRouter,
    private readonly model: string | string[],
  ) {
    this.modelId = Array.isArray(model) ? model.join(',') : model
  }

  private request(options: LanguageModelV3CallOptions) {
    const { parameters, warnings } = parametersFromCallOptions(options)
    // The model first: a field added to a spread copy costs ~0.6 µs on Node 20. (The parameters have no `model`.)
    const request: ChatRequest = { model: this.model, ...parameters }
    return { request, warnings, callOptions: options.abortSignal ? { signal: options.abortSignal } : {} }
  }

  async doGenerate(options: LanguageModelV3CallOptions): Promise<LanguageModelV3GenerateResult> {
    const { request, warnings, callOptions } = this.request(options)
    const result = await this.router.chat(request, callOptions)
    return {
      content: contentOf(result),
      finishReason: finishReasonOf(result.choices[0]!.finish_reason),
      usage: usageOf(result.usage, result.tokens),
      providerMetadata: routeMetadata(result),
      request: { body: request },
      response: { id: result.id, modelId: result.model, timestamp: new Date(result.created * 1000) },
      warnings,
    }
  }

  async doStream(options: LanguageModelV3CallOptions): Promise<LanguageModelV3StreamResult> {
    const { request, warnings, callOptions } = this.request(options)
    const stream = this.router.stream(request, callOptions)
    const iterator = stream[Symbol.asyncIterator]()
    // Resolves after the first chunk, so a call that fails before its first token (every fallback
    // included) rejects here, as a failed request, rather than as an error part mid-stream.
    const first = await iterator.next()
    const parts = streamParts(stream, iterator, first, warnings)
    return {
      stream: new ReadableStream<LanguageModelV3StreamPart>({
        async pull(controller) {
          const next = await parts.next()
          if (next.done) controller.close()
          else controller.enqueue(next.value)
        },
        async cancel() {
          await parts.return(undefined)
        },
      }),
      request: { body: request },
    }
  }
}

/** The router's chunks as AI SDK stream parts: text and reasoning blocks, tool inputs, then tool calls and finish. */
async function* streamParts(
  stream: RouterStream,
  iterator: AsyncIterator<ChatChunk>,
  first: IteratorResult<ChatChunk>,
  warnings: LanguageModelV3GenerateResult['warnings'],
): AsyncGenerator<LanguageModelV3StreamPart> {
  yield { type: 'stream-start', warnings }
  let open: 'text' | 'reasoning' | undefined
  let block = 0
  const calls = new Map<number, { id: string; name: string }>()
  const close = (): LanguageModelV3StreamPart[] => {
    const ending = open
    open = undefined
    if (ending === 'text') return [{ type: 'text-end', id: `text-${block}` }]
    if (ending === 'reasoning') return [{ type: 'reasoning-end', id: `reasoning-${block}` }]
    return []
  }
  try {
    for (let next = first; !next.done; next = await iterator.next()) {
      const chunk = next.value
      if (next === first) yield { type: 'response-metadata', id: chunk.id, modelId: chunk.model, timestamp: new Date(chunk.created * 1000) }
      if (chunk.choices.length === 0 && chunk.usage) {
        // The router resolves the assembled result before it yields its last chunk.
        const result = await stream.finalResult()
        const message = result.choices[0]!.message
        // Reasoning data (thinking signatures) is known only now; it rides on the reasoning block's end.
        const reasoningData = reasoningMetadata(message.provider_data)
        if (open === 'reasoning' && reasoningData) {
          open = undefined
          yield { type: 'reasoning-end', id: `reasoning-${block}`, providerMetadata: reasoningData }
        } else yield* close()
        for (const [, call] of calls) yield { type: 'tool-input-end', id: call.id }
        for (const call of message.tool_calls ?? []) yield { type: 'tool-call', toolCallId: call.id, toolName: call.function.name, input: call.function.arguments }
        yield { type: 'finish', usage: usageOf(result.usage, result.tokens), finishReason: finishReasonOf(result.choices[0]!.finish_reason), providerMetadata: routeMetadata(result) }
        continue
      }
      for (const choice of chunk.choices) {
        const delta = choice.delta
        if (delta.reasoning) {
          if (open !== 'reasoning') {
            yield* close()
            block += 1
            open = 'reasoning'
            yield { type: 'reasoning-start', id: `reasoning-${block}` }
          }
          yield { type: 'reasoning-delta', id: `reasoning-${block}`, delta: delta.reasoning }
        }
        const text = delta.content ?? delta.refusal
        if (text) {
          if (open !== 'text') {
            yield* close()
            block += 1
            open = 'text'
            yield { type: 'text-start', id: `text-${block}` }
          }
          yield { type: 'text-delta', id: `text-${block}`, delta: text }
        }
        for (const call of delta.tool_calls ?? []) {
          if (call.id !== undefined && !calls.has(call.index)) {
            yield* close()
            calls.set(call.index, { id: call.id, name: call.function?.name ?? '' })
            yield { type: 'tool-input-start', id: call.id, toolName: call.function?.name ?? '' }
          }
          const known = calls.get(call.index)
          if (known && call.function?.arguments) yield { type: 'tool-input-delta', id: known.id, delta: call.function.arguments }
        }
      }
    }
  } catch (error) {
    yield { type: 'error', error }
  } finally {
    await iterator.return?.(undefined)
  }
}
