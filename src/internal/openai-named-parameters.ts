import type { ChatParameters } from '../spec/request.js'

/**
 * Chat parameters whose canonical name and meaning are OpenAI's own, so they cross the OpenAI wire
 * format unchanged in both directions: the OpenAI facade copies them in, the OpenAI adapter out.
 */
export const openAINamedParameters = [
  'tool_choice',
  'parallel_tool_calls',
  'response_format',
  'temperature',
  'top_p',
  'stop',
  'seed',
  'presence_penalty',
  'frequency_penalty',
  'reasoning_effort',
  'user',
] as const satisfies ReadonlyArray<keyof ChatParameters>
