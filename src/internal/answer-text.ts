import type { AssistantMessage } from '../spec/message.js'
import type { StreamEvent } from '../spec/stream-event.js'

function toolCallLine(name: string, argumentsText: string): string {
  return `${name}(${argumentsText})`
}

/** An answer as plain text for a judge: the content, then each tool call as `name(arguments)`. */
export function messageText(message: AssistantMessage): string {
  const content =
    typeof message.content === 'string' ? message.content : (message.content ?? []).map((part) => part.text).join('')
  const calls = (message.tool_calls ?? []).map((call) => toolCallLine(call.function.name, call.function.arguments))
  return [content, ...calls].filter((line) => line !== '').join('\n')
}

/** The same text, from a stream's events. */
export function streamText(events: readonly StreamEvent[]): string {
  let content = ''
  const calls: string[] = []
  for (const event of events) {
    if (event.type === 'text-delta') content += event.text
    else if (event.type === 'tool-call-end') calls.push(toolCallLine(event.name, event.arguments))
  }
  return [content, ...calls].filter((line) => line !== '').join('\n')
}
