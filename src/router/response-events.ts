import type { ModelResponse } from '../spec/response.js'
import type { StreamEvent } from '../spec/stream-event.js'

/**
 * The canonical event sequence equivalent to a whole response, so an answer obtained without
 * streaming (or stored) can be replayed to a streaming caller: assembled again, it gives back the
 * same message, finish reason and usage.
 */
export function responseEvents(response: ModelResponse): StreamEvent[] {
  const { message } = response
  const events: StreamEvent[] = [{ type: 'response-start', id: response.id, model: response.model }]
  if (message.reasoning) events.push({ type: 'reasoning-delta', text: message.reasoning })
  const content = typeof message.content === 'string' ? message.content : (message.content ?? []).map((part) => part.text).join('')
  if (content !== '') events.push({ type: 'text-delta', text: content })
  if (message.refusal) events.push({ type: 'refusal-delta', text: message.refusal })
  message.tool_calls?.forEach((call, index) =>
    events.push({ type: 'tool-call-end', index, id: call.id, name: call.function.name, arguments: call.function.arguments }),
  )
  if (message.provider_data) events.push({ type: 'provider-data', data: message.provider_data })
  const finish: StreamEvent = { type: 'finish', finishReason: response.finishReason, usage: response.usage }
  if (response.providerMetadata) finish.providerMetadata = response.providerMetadata
  events.push(finish)
  return events
}
