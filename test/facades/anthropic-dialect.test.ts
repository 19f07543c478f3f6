import { describe, expect, it } from 'vitest'
import { InvalidRequestError } from '../../src/index.js'
import { chatRequestFromAnthropic, toAnthropicStopReason, toolInput } from '../../src/facades/anthropic-dialect.js'

const base = { model: 'main', max_tokens: 100 }

describe('chatRequestFromAnthropic', () => {
  it('moves images of a tool result into a user message right after the tool message', () => {
    const request = chatRequestFromAnthropic({
      ...base,
      messages: [
        {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              tool_use_id: 'toolu_1',
              content: [
                { type: 'text', text: 'Screenshot attached.' },
                { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: '/9j/4AAQ' } },
              ],
            },
          ],
        },
      ],
    })
    expect(request.messages).toEqual([
      { role: 'tool', tool_call_id: 'toolu_1', content: 'Screenshot attached.' },
      { role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/jpeg;base64,/9j/4AAQ' } }] },
    ])
  })

  it('maps tool_choice variants and structured output', () => {
    const tools = [{ name: 'lookup', input_schema: { type: 'object' } }]
    const message = [{ role: 'user' as const, content: 'x' }]
    expect(chatRequestFromAnthropic({ ...base, messages: message, tools, tool_choice: { type: 'none' } }).tool_choice).toBe('none')
    expect(chatRequestFromAnthropic({ ...base, messages: message, tools, tool_choice: { type: 'auto', disable_parallel_tool_use: true } })).toMatchObject({ tool_choice: 'auto', parallel_tool_calls: false })
    const schema = { type: 'object', properties: { answer: { type: 'string' } } }
    const structured = chatRequestFromAnthropic({ ...base, messages: message, output_config: { format: { type: 'json_schema', schema }, effort: 'low' } })
    expect(structured.response_format).toEqual({ type: 'json_schema', json_schema: { name: 'output', schema } })
    expect(structured.provider_options).toEqual({ anthropic: { output_config: { effort: 'low' } } })
  })

  it('keeps caller provider_options and lets them win over forwarded Anthropic fields', () => {
    const request = chatRequestFromAnthropic({ ...base, messages: [{ role: 'user', content: 'x' }], top_k: 3, provider_options: { anthropic: { top_k: 9 }, openai: { store: true } } })
    expect(request.provider_options).toEqual({ anthropic: { top_k: 9 }, openai: { store: true } })
  })

  it('an assistant turn with only thinking keeps it as reasoning with an empty text', () => {
    const request = chatRequestFromAnthropic({
      ...base,
      messages: [
        { role: 'user', content: 'x' },
        { role: 'assistant', content: [{ type: 'redacted_thinking', data: 'abc' }] },
        { role: 'user', content: 'y' },
      ],
    })
    expect(request.messages[1]).toEqual({ role: 'assistant', content: '', provider_data: { anthropic: { thinking_blocks: [{ type: 'redacted_thinking', data: 'abc' }] } } })
  })

  it('rejects what has no canonical form with a 400 that says what to do', () => {
    const cases: unknown[] = [
      { ...base, messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'file', file_id: 'f' } }] }] },
      { ...base, messages: [{ role: 'assistant', content: [{ type: 'server_tool_use', id: 'x', name: 'web_search', input: {} }] }] },
      { ...base, messages: [{ role: 'user', content: 'x' }], tool_choice: { type: 'sometimes' } },
      { ...base, messages: [{ role: 'user', content: 'x' }], system: [{ type: 'image' }] },
      { ...base, messages: [{ role: 'user', content: 'x' }], tools: [{ name: 'no_schema' }] },
      { ...base, messages: [{ role: 'user', content: 'x' }], temperature: 1.5 },
    ]
    for (const params of cases) {
      let caught: unknown
      try {
        chatRequestFromAnthropic(params as never)
      } catch (error) {
        caught = error
      }
      expect(caught).toBeInstanceOf(InvalidRequestError)
      expect((caught as InvalidRequestError).status).toBe(400)
    }
  })

  it('rejects malformed values the translation would otherwise mangle, naming the field', () => {
    const message = [{ role: 'user' as const, content: 'x' }]
    const cases: Array<[unknown, RegExp]> = [
      [{ ...base, messages: [{ role: 'user', content: [{ type: 'text', text: 'x', cache_control: 'x' }] }] }, /messages\[0\]\.content\[0\]\.cache_control must be \{ type: "ephemeral" \}/],
      [{ ...base, messages: message, system: [{ type: 'text', text: 'x', cache_control: 5 }] }, /system\[0\]\.cache_control/],
      [{ ...base, messages: message, tools: [{ name: 'f', input_schema: { type: 'object' }, cache_control: { type: 'persistent' } }] }, /tools\[0\]\.cache_control/],
      [{ ...base, messages: message, cache_control: 'x' }, /`?cache_control must be/],
      [{ ...base, messages: message, stop_sequences: 'END' }, /`stop_sequences` must be an array of strings/],
      [{ ...base, messages: message, stream: 'yes' }, /`stream` must be true or false/],
      [{ ...base, messages: message, top_k: 3, provider_options: { anthropic: 'x' } }, /`provider_options\.anthropic` must be an object/],
      [{ ...base, messages: message, provider_options: { anthropic: ['x'] } }, /`provider_options\.anthropic` must be an object/],
    ]
    for (const [params, reason] of cases) {
      expect(() => chatRequestFromAnthropic(params as never)).toThrow(reason)
    }
  })
})

describe('results in the Anthropic shape', () => {
  it('maps finish reasons to stop reasons', () => {
    expect(toAnthropicStopReason('stop', false)).toBe('end_turn')
    expect(toAnthropicStopReason('length', false)).toBe('max_tokens')
    expect(toAnthropicStopReason('tool_calls', false)).toBe('tool_use')
    expect(toAnthropicStopReason('content_filter', false)).toBe('refusal')
    expect(toAnthropicStopReason('stop', true)).toBe('refusal')
  })

  it('tool arguments that are not a JSON object are kept as text under _raw rather than dropped', () => {
    expect(toolInput('{"a":1}')).toEqual({ a: 1 })
    expect(toolInput('')).toEqual({})
    expect(toolInput('[1,2]')).toEqual({ _raw: '[1,2]' })
    expect(toolInput('{"a":')).toEqual({ _raw: '{"a":' })
  })
})
