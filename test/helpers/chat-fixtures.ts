import type { FunctionTool } from '../../src/index.js'

/** A tool with arguments, carrying a cache marker that OpenAI-format hosts must not send on. */
export const weatherTool: FunctionTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
  cache_control: { type: 'ephemeral' },
}

/** A tool without arguments: the canonical dialect lets `parameters` be omitted. */
export const clockTool: FunctionTool = { type: 'function', function: { name: 'get_time' } }
