import type { AssistantMessage, ToolCall } from '../spec/message.js'
import type { ChatChunk, ChatChunkDelta, FinishReason, ModelResponse } from '../spec/response.js'
import type { StreamEvent } from '../spec/stream-event.js'
import type { InputUsage, Usage } from '../spec/usage.js'

/**
 * Turns canonical stream events into OpenAI-shaped chunks while accumulating the complete
 * response, so a streamed call ends with exactly what the non-streamed call would return.
 */
export class StreamAssembler {
  private id = ''
  private model = ''
  private text = ''
  private reasoning = ''
  private refusal = ''
  /** Made at the first tool call: most streams have none. */
  private toolCalls: Map<number, ToolCall & { streamed: string }> | undefined
  private providerData: Record<string, unknown> | undefined
  private finishReason: FinishReason | undefined
  private usage: Usage = { inputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0 }
  private providerMetadata: Record<string, unknown> | undefined
  private sentRole = false
  /** Input counts reported at the start, sent once on the first chunk. */
  private inputUsage: InputUsage | undefined
  /** Every chunk emitted so far, kept for the partial output of an interrupted stream. */
  readonly chunks: ChatChunk[] = []

  constructor(
    private readonly chunkId: string,
    private readonly created: number,
    private readonly modelLabel: string,
  ) {}

  /** Applies one event; returns the chunk to emit for it, if any. */
  push(event: StreamEvent): ChatChunk | undefined {
    switch (event.type) {
      case 'response-start':
        this.id = event.id
        this.model = event.model
        this.inputUsage = event.inputUsage
        return undefined
      case 'text-delta':
        if (event.text === '') return undefined
        this.text += event.text
        return this.chunk({ content: event.text })
      case 'reasoning-delta':
        this.reasoning += event.text
        return this.chunk({ reasoning: event.text })
      case 'refusal-delta':
        this.refusal += event.text
        return this.chunk({ refusal: event.text })
      case 'tool-call-start':
        this.toolCalls ??= new Map()
        this.toolCalls.set(event.index, {
          id: event.id,
          type: 'function',
          function: { name: event.name, arguments: '' },
          streamed: '',
        })
        return this.chunk({
          tool_calls: [{ index: event.index, id: event.id, type: 'function', function: { name: event.name, arguments: '' } }],
        })
      case 'tool-call-delta': {
        const call = this.toolCalls?.get(event.index)
        if (!call || event.argumentsDelta === '') return undefined
        call.streamed += event.argumentsDelta
        return this.chunk({ tool_calls: [{ index: event.index, function: { arguments: event.argumentsDelta } }] })
      }
      case 'tool-call-end': {
        let call = this.toolCalls?.get(event.index)
        let startChunk: ChatChunk | undefined
        if (!call) {
          // A provider that sends whole tool calls at once: start and finish in one step.
          startChunk = this.push({ type: 'tool-call-start', index: event.index, id: event.id, name: event.name })
          call = this.toolCalls!.get(event.index)!
        }
        call.function.arguments = event.arguments
        const rest = event.arguments.startsWith(call.streamed) ? event.arguments.slice(call.streamed.length) : ''
        call.streamed = event.arguments
        if (rest === '') return startChunk
        const restChunk = this.chunk({ tool_calls: [{ index: event.index, function: { arguments: rest } }] })
        if (!startChunk) return restChunk
        // Merge so that one event still yields one chunk.
        startChunk.choices[0]!.delta.tool_calls![0]!.function!.arguments = rest
        this.chunks.pop()
        return startChunk
      }
      case 'provider-data':
        this.providerData = { ...this.providerData, ...event.data }
        return undefined
      case 'finish':
        this.finishReason = event.finishReason
        this.usage = event.usage
        this.providerMetadata = event.providerMetadata
        return this.chunk({}, event.finishReason)
    }
  }

  get partialText(): string {
    return this.text
  }

  get finished(): boolean {
    return this.finishReason !== undefined
  }

  /** The whole response, as `adapter.chat()` would have returned it. */
  response(): ModelResponse {
    const toolCalls = [...(this.toolCalls?.entries() ?? [])]
      .sort(([left], [right]) => left - right)
      .map(([, { streamed: _streamed, ...call }]) => call)
    const message: AssistantMessage = { role: 'assistant', content: this.text === '' && toolCalls.length > 0 ? null : this.text }
    if (toolCalls.length > 0) message.tool_calls = toolCalls
    if (this.reasoning) message.reasoning = this.reasoning
    if (this.refusal) message.refusal = this.refusal
    if (this.providerData) message.provider_data = this.providerData
    return {
      id: this.id || this.chunkId,
      model: this.model,
      message,
      finishReason: this.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop'),
      usage: this.usage,
      ...(this.providerMetadata ? { providerMetadata: this.providerMetadata } : {}),
    }
  }

  private chunk(delta: ChatChunkDelta, finishReason: FinishReason | null = null): ChatChunk {
    if (!this.sentRole) {
      delta = { role: 'assistant', ...delta }
      this.sentRole = true
    }
    const chunk: ChatChunk = {
      id: this.chunkId,
      object: 'chat.completion.chunk',
      created: this.created,
      model: this.modelLabel,
      choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }],
    }
    if (this.inputUsage) {
      chunk.input_usage = this.inputUsage
      this.inputUsage = undefined
    }
    this.chunks.push(chunk)
    return chunk
  }
}
