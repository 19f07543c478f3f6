import type { RouterStream } from '../../router/router-client.js'
import { RateLimitError } from '../../errors/errors.js'
import type { ChatChunk, ChatResult, FinishReason } from '../../spec/response.js'
import { describeFailure } from '../http-errors.js'
import { reasoningContentFromProviderData } from './responses-reasoning.js'
import { incompleteDetails, ResponseIds, responseSkeleton, toResponsesUsage } from './responses-response.js'
import type {
  ResponseCreateParams,
  ResponseObject,
  ResponseStreamEvent,
  ResponsesFunctionCallItem,
  ResponsesMessageItem,
  ResponsesOutputItem,
  ResponsesReasoningItem,
} from './responses-types.js'

type EventBody = { type: string; [field: string]: unknown }

/** The content part of the message item being written: OpenAI streams text and refusals as separate parts. */
interface OpenPart {
  kind: 'output_text' | 'refusal'
  index: number
  text: string
}

/**
 * Turns the router's OpenAI Chat Completions chunks into the Responses API's event sequence:
 * `response.created`, `response.in_progress`, then each output item added, filled and done in
 * turn (reasoning summary, message with its content parts, function calls), and
 * `response.completed` (or `response.incomplete`) carrying usage, cost and route.
 */
export class ResponsesStreamTranslator {
  private sequence = 0
  private ids!: ResponseIds
  private skeleton!: ResponseObject
  private readonly items: ResponsesOutputItem[] = []
  /** The item being written, by output index; function calls stay addressable for late argument deltas. */
  private openIndex: number | undefined
  private openPart: OpenPart | undefined
  private readonly callItems = new Map<number, number>()
  private finishReason: FinishReason | null = null

  constructor(
    private readonly params: ResponseCreateParams,
    private readonly createdAt: number,
  ) {}

  private event(body: EventBody): ResponseStreamEvent {
    // Every body is made for its one event: numbered in place (a copy with the field added costs ~0.6 µs on Node 20).
    const event = body as ResponseStreamEvent
    event.sequence_number = this.sequence++
    return event
  }

  start(chunk: ChatChunk): ResponseStreamEvent[] {
    this.ids = new ResponseIds(chunk.id)
    this.skeleton = responseSkeleton(this.params, this.ids, this.createdAt, chunk.model)
    return [this.event({ type: 'response.created', response: { ...this.skeleton } }), this.event({ type: 'response.in_progress', response: { ...this.skeleton } })]
  }

  push(chunk: ChatChunk): ResponseStreamEvent[] {
    const events: ResponseStreamEvent[] = []
    for (const choice of chunk.choices) {
      const delta = choice.delta
      if (delta.reasoning) this.reasoningDelta(delta.reasoning, events)
      if (delta.content) this.partDelta('output_text', delta.content, events)
      if (delta.refusal) this.partDelta('refusal', delta.refusal, events)
      for (const call of delta.tool_calls ?? []) this.toolCallDelta(call, events)
      if (choice.finish_reason) this.finishReason = choice.finish_reason
    }
    return events
  }

  private reasoningDelta(text: string, events: ResponseStreamEvent[]): void {
    let item = this.openItem()
    if (item?.type !== 'reasoning') {
      item = this.add({ type: 'reasoning', id: this.ids.reasoning(), summary: [] }, events)
      ;(item as ResponsesReasoningItem).summary.push({ type: 'summary_text', text: '' })
      events.push(this.event({ type: 'response.reasoning_summary_part.added', item_id: item.id, output_index: this.openIndex, summary_index: 0, part: { type: 'summary_text', text: '' } }))
    }
    const summary = (item as ResponsesReasoningItem).summary[0]!
    summary.text += text
    events.push(this.event({ type: 'response.reasoning_summary_text.delta', item_id: item.id, output_index: this.openIndex, summary_index: 0, delta: text }))
  }

  private partDelta(kind: OpenPart['kind'], text: string, events: ResponseStreamEvent[]): void {
    let item = this.openItem()
    if (item?.type !== 'message') item = this.add({ type: 'message', id: this.ids.message(), role: 'assistant', status: 'in_progress', content: [] }, events)
    const message = item as ResponsesMessageItem
    if (this.openPart?.kind !== kind) {
      this.closePart(events)
      this.openPart = { kind, index: message.content.length, text: '' }
      const part = kind === 'output_text' ? { type: kind, text: '', annotations: [], logprobs: [] } : { type: kind, refusal: '' }
      message.content.push({ ...part } as ResponsesMessageItem['content'][number])
      events.push(this.event({ type: 'response.content_part.added', item_id: message.id, output_index: this.openIndex, content_index: this.openPart.index, part }))
    }
    this.openPart.text += text
    const address = { item_id: message.id, output_index: this.openIndex, content_index: this.openPart.index }
    events.push(this.event(kind === 'output_text' ? { type: 'response.output_text.delta', ...address, delta: text, logprobs: [] } : { type: 'response.refusal.delta', ...address, delta: text }))
  }

  private toolCallDelta(call: NonNullable<ChatChunk['choices'][number]['delta']['tool_calls']>[number], events: ResponseStreamEvent[]): void {
    if (call.id !== undefined && !this.callItems.has(call.index)) {
      this.add({ type: 'function_call', id: this.ids.functionCall(call.index), call_id: call.id, name: call.function?.name ?? '', arguments: '', status: 'in_progress' }, events)
      this.callItems.set(call.index, this.openIndex!)
    }
    const argumentsDelta = call.function?.arguments
    const outputIndex = this.callItems.get(call.index)
    if (!argumentsDelta || outputIndex === undefined) return
    const item = this.items[outputIndex] as ResponsesFunctionCallItem
    item.arguments += argumentsDelta
    // Arguments for an earlier call whose item is already done still go to that item, never dropped.
    events.push(this.event({ type: 'response.function_call_arguments.delta', item_id: item.id, output_index: outputIndex, delta: argumentsDelta }))
  }

  private openItem(): ResponsesOutputItem | undefined {
    return this.openIndex === undefined ? undefined : this.items[this.openIndex]
  }

  private add(item: ResponsesOutputItem, events: ResponseStreamEvent[]): ResponsesOutputItem {
    this.close(events)
    this.items.push(item)
    this.openIndex = this.items.length - 1
    events.push(this.event({ type: 'response.output_item.added', output_index: this.openIndex, item: structuredClone(item) }))
    return item
  }

  private closePart(events: ResponseStreamEvent[]): void {
    const part = this.openPart
    const item = this.openItem()
    if (!part || item?.type !== 'message') return
    this.openPart = undefined
    const address = { item_id: item.id, output_index: this.openIndex, content_index: part.index }
    const finished = part.kind === 'output_text' ? { type: 'output_text', text: part.text, annotations: [], logprobs: [] } : { type: 'refusal', refusal: part.text }
    item.content[part.index] = finished as ResponsesMessageItem['content'][number]
    events.push(
      this.event(part.kind === 'output_text' ? { type: 'response.output_text.done', ...address, text: part.text, logprobs: [] } : { type: 'response.refusal.done', ...address, refusal: part.text }),
      this.event({ type: 'response.content_part.done', ...address, part: finished }),
    )
  }

  private close(events: ResponseStreamEvent[]): void {
    const item = this.openItem()
    if (!item) return
    const outputIndex = this.openIndex
    if (item.type === 'reasoning') {
      const summary = item.summary[0]!
      events.push(
        this.event({ type: 'response.reasoning_summary_text.done', item_id: item.id, output_index: outputIndex, summary_index: 0, text: summary.text }),
        this.event({ type: 'response.reasoning_summary_part.done', item_id: item.id, output_index: outputIndex, summary_index: 0, part: { ...summary } }),
      )
    } else if (item.type === 'message') {
      this.closePart(events)
      item.status = this.itemStatus()
    } else {
      item.status = 'completed'
      events.push(this.event({ type: 'response.function_call_arguments.done', item_id: item.id, name: item.name, output_index: outputIndex, arguments: item.arguments }))
    }
    this.openIndex = undefined
    events.push(this.event({ type: 'response.output_item.done', output_index: outputIndex, item: structuredClone(item) }))
  }

  private itemStatus(): 'completed' | 'incomplete' {
    return incompleteDetails(this.finishReason) ? 'incomplete' : 'completed'
  }

  /** The closing events, from the router's last chunk and the assembled result. */
  finish(result: ChatResult): ResponseStreamEvent[] {
    const events: ResponseStreamEvent[] = []
    this.close(events)
    const message = result.choices[0]!.message
    // Reasoning data and the final arguments are known only once the provider's stream has ended.
    const encrypted = reasoningContentFromProviderData(message.provider_data)
    const output = this.items.map((item) => {
      if (item.type === 'reasoning') return { ...item, encrypted_content: encrypted }
      if (item.type === 'function_call') {
        const call = message.tool_calls?.find((candidate) => candidate.id === item.call_id)
        return call ? { ...item, arguments: call.function.arguments } : item
      }
      return item
    })
    if (encrypted && !output.some((item) => item.type === 'reasoning')) output.unshift({ type: 'reasoning', id: this.ids.reasoning(), summary: [], encrypted_content: encrypted })
    const incomplete = incompleteDetails(this.finishReason ?? result.choices[0]!.finish_reason)
    const response: ResponseObject = {
      ...this.skeleton,
      model: result.model,
      status: incomplete ? 'incomplete' : 'completed',
      completed_at: Math.floor(Date.now() / 1000),
      incomplete_details: incomplete,
      output,
      usage: toResponsesUsage(result.usage, result.tokens),
      cost: result.cost,
      route: result.route,
      ...(result.provider_metadata ? { provider_metadata: result.provider_metadata } : {}),
    }
    events.push(this.event({ type: incomplete ? 'response.incomplete' : 'response.completed', response }))
    return events
  }

  /**
   * A failure after the first event: OpenAI's `error` event, then `response.failed`. The error
   * event carries both the schema's top-level fields and the nested `error` object OpenAI sends,
   * which the official SDK raises as an `APIError`.
   */
  fail(error: unknown): ResponseStreamEvent[] {
    const failure = describeFailure(error)
    const code = error instanceof RateLimitError || failure.status === 429 ? 'rate_limit_exceeded' : 'server_error'
    const errorEvent = this.event({ type: 'error', code, message: failure.message, param: null, error: { type: code === 'rate_limit_exceeded' ? 'rate_limit_error' : 'server_error', code, message: failure.message, param: null } })
    const response: ResponseObject = { ...this.skeleton, status: 'failed', error: { code, message: failure.message }, output: this.items }
    return [errorEvent, this.event({ type: 'response.failed', response })]
  }
}

/**
 * The Responses events of one routed stream. The first event is written only after the router's
 * first chunk, so a call that fails before its first token (and every fallback with it) rejects
 * instead of starting a stream. A later failure ends the stream with `error` and `response.failed`.
 */
export async function* toResponseEvents(stream: RouterStream, params: ResponseCreateParams, signal: AbortSignal): AsyncGenerator<ResponseStreamEvent> {
  const translator = new ResponsesStreamTranslator(params, Math.floor(Date.now() / 1000))
  const iterator = stream[Symbol.asyncIterator]()
  let next = await iterator.next()
  if (next.done) return
  yield* translator.start(next.value)
  try {
    for (; !next.done; next = await iterator.next()) {
      const chunk = next.value
      // The router resolves the assembled result before it yields its last chunk.
      if (chunk.choices.length === 0 && chunk.usage) yield* translator.finish(await stream.finalResult())
      else yield* translator.push(chunk)
    }
  } catch (error) {
    if (signal.aborted) throw error
    yield* translator.fail(error)
  } finally {
    await iterator.return?.(undefined)
  }
}
