import type { FinishReason, Usage } from '../../src/index.js'

/**
 * What each recording in `test/fixtures/recorded/` says, written out by hand from the recording
 * files: the answer text (long ones by length in UTF-16 code units, opening, ending and SHA-256 of the UTF-8 bytes), the tool calls, the
 * finish reason and the token counts. The parity matrix replays every recording through its
 * provider's real SDK and adapter and compares with these values, so its oracle is the provider's
 * own recorded answer, not a second implementation of the adapter's translation.
 *
 * Token counts map onto the canonical usage by each provider's documented billing rule, spelled
 * out beside each figure: Anthropic's `input_tokens` excludes cache reads and writes; OpenAI-format
 * hosts count cached tokens inside `prompt_tokens`; Gemini's `thoughtsTokenCount` is billed as
 * output next to `candidatesTokenCount`.
 */
export type RecordedText = string | null | { length: number; startsWith: string; endsWith: string; sha256: string }

export interface RecordedOutcome {
  text: RecordedText
  toolCalls: Array<{ id?: string; name: string; arguments: Record<string, unknown> }>
  /** The canonical finish reason; the recording's own stop reason is in the comment. */
  finishReason: FinishReason
  usage: Usage
}

export interface RecordedError {
  error: { status: number; retryAfterMs?: number }
}

const usage = (counts: Partial<Usage>): Usage => ({ inputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0, ...counts })

const fourCities = {
  elements: [
    { location: 'San Francisco', temperature: -5, condition: 'snowy' },
    { location: 'London', temperature: 0, condition: 'snowy' },
    { location: 'Paris', temperature: 23, condition: 'cloudy' },
    { location: 'Berlin', temperature: -9, condition: 'snowy' },
  ],
}

export const recordedOutcomes: Record<string, RecordedOutcome | RecordedError> = {
  // Amazon Bedrock Converse: `inputTokens` excludes cache reads and writes (reported beside it); thinking is inside `outputTokens`.
  // stopReason "end_turn"; the stream's metadata event: inputTokens 51, outputTokens 94. Reasoning text is not part of the answer text.
  'bedrock/amazon-bedrock-reasoning.chunks.txt': {
    text: 'There are **3** r\'s in "strawberry":\n\n1. st**r**awbe**r****r**y',
    toolCalls: [],
    finishReason: 'stop',
    usage: usage({ inputTokens: 51, outputTokens: 94 }),
  },
  // stopReason "end_turn"; inputTokens 51, outputTokens 78, cache reads and writes 0.
  'bedrock/amazon-bedrock-reasoning.json': {
    text: 'There are **3** r\'s in "strawberry":\n\n1. st**r**awbe**r****r**y',
    toolCalls: [],
    finishReason: 'stop',
    usage: usage({ inputTokens: 51, outputTokens: 78 }),
  },
  // stopReason "end_turn"; metadata inputTokens 22, outputTokens 55.
  'bedrock/amazon-bedrock-text.chunks.txt': {
    text: 'Let me count the "r"s in "strawberry":\n\ns-t-**r**-a-w-b-e-**r**-**r**-y\n\nThere are **3** r\'s in "strawberry."',
    toolCalls: [],
    finishReason: 'stop',
    usage: usage({ inputTokens: 22, outputTokens: 55 }),
  },
  // stopReason "end_turn"; inputTokens 22, outputTokens 57.
  'bedrock/amazon-bedrock-text.json': {
    text: 'Let me count the "r"s in "strawberry":\n\ns-t-**r**-a-w-b-e-**r**-**r**-y\n\nThere are **3** "r"s in "strawberry."',
    toolCalls: [],
    finishReason: 'stop',
    usage: usage({ inputTokens: 22, outputTokens: 57 }),
  },
  // stopReason "tool_use" (after the metadata event); inputTokens 125, outputTokens 45.
  'bedrock/amazon-bedrock-tool-call.1.chunks.txt': {
    text: null,
    toolCalls: [{ id: 'tool-use-id', name: 'test-tool', arguments: { value: 'Sparkle Day' } }],
    finishReason: 'tool_calls',
    usage: usage({ inputTokens: 125, outputTokens: 45 }),
  },
  // stopReason "tool_use"; inputTokens 10, outputTokens 20.
  'bedrock/amazon-bedrock-tool-call.1.json': {
    text: null,
    toolCalls: [{ id: 'tool-use-id', name: 'bash', arguments: { command: 'ls -l' } }],
    finishReason: 'tool_calls',
    usage: usage({ inputTokens: 10, outputTokens: 20 }),
  },
  // stop_reason "tool_use"; usage input_tokens 849, cache_creation_input_tokens 0, cache_read_input_tokens 0, output_tokens 47.
  'anthropic/anthropic-json-tool.1.chunks.txt': {
    text: null,
    toolCalls: [{ id: 'toolu_01KFbKqPYSuAKujiL6mTfzYA', name: 'json', arguments: { elements: [{ location: 'San Francisco', temperature: 58, condition: 'sunny' }] } }],
    finishReason: 'tool_calls',
    usage: usage({ inputTokens: 849, outputTokens: 47 }),
  },
  // stop_reason "tool_use"; input_tokens 1151, output_tokens 87.
  'anthropic/anthropic-json-tool.1.json': {
    text: null,
    toolCalls: [{ id: 'toolu_01Q9ExVZnzZj7E2QQYHYtNUa', name: 'json', arguments: fourCities }],
    finishReason: 'tool_calls',
    usage: usage({ inputTokens: 1151, outputTokens: 87 }),
  },
  // stop_reason "refusal", no content blocks; input_tokens 18, output_tokens 5.
  'anthropic/anthropic-refusal.chunks.txt': { text: null, toolCalls: [], finishReason: 'content_filter', usage: usage({ inputTokens: 18, outputTokens: 5 }) },
  'anthropic/anthropic-refusal.json': { text: null, toolCalls: [], finishReason: 'content_filter', usage: usage({ inputTokens: 18, outputTokens: 5 }) },
  // stop_reason "end_turn"; input_tokens 12, output_tokens 30 (message_delta).
  'anthropic/anthropic-text.chunks.txt': {
    text: "Hello! I'm doing well, thank you for asking. How are you doing today? Is there anything I can help you with?",
    toolCalls: [],
    finishReason: 'stop',
    usage: usage({ inputTokens: 12, outputTokens: 30 }),
  },
  // stop_reason "end_turn"; input_tokens 12, output_tokens 29.
  'anthropic/anthropic-text.json': {
    text: "Hello! I'm doing well, thanks for asking. How are you doing today? Is there anything I can help you with?",
    toolCalls: [],
    finishReason: 'stop',
    usage: usage({ inputTokens: 12, outputTokens: 29 }),
  },

  // HTTP 429 RESOURCE_EXHAUSTED with a google.rpc.RetryInfo retryDelay of "34.4s".
  'google/google-429-retry-info.json': { error: { status: 429, retryAfterMs: 34_400 } },
  // finishReason "STOP"; promptTokenCount 9, candidatesTokenCount 23, thoughtsTokenCount 185.
  'google/google-text.chunks.txt': {
    text: 'There are **3** "r"s in strawberry.\n\nst**r**awbe**rr**y',
    toolCalls: [],
    finishReason: 'stop',
    usage: usage({ inputTokens: 9, outputTokens: 23 + 185, reasoningTokens: 185 }),
  },
  // finishReason "STOP"; promptTokenCount 9, candidatesTokenCount 28, thoughtsTokenCount 244.
  'google/google-text.json': {
    text: "There are **3** r's in strawberry.\n\nHere is the breakdown: st**r**awbe**rr**y.",
    toolCalls: [],
    finishReason: 'stop',
    usage: usage({ inputTokens: 9, outputTokens: 28 + 244, reasoningTokens: 244 }),
  },
  // finishReason "STOP" with a functionCall (no id: Gemini sends none); promptTokenCount 29, candidatesTokenCount 15, thoughtsTokenCount 45.
  'google/google-tool-call.chunks.txt': {
    text: null,
    toolCalls: [{ name: 'weather', arguments: { location: 'San Francisco' } }],
    finishReason: 'tool_calls',
    usage: usage({ inputTokens: 29, outputTokens: 15 + 45, reasoningTokens: 45 }),
  },
  // promptTokenCount 29, candidatesTokenCount 15, thoughtsTokenCount 893.
  'google/google-tool-call.json': {
    text: null,
    toolCalls: [{ name: 'weather', arguments: { location: 'San Francisco' } }],
    finishReason: 'tool_calls',
    usage: usage({ inputTokens: 29, outputTokens: 15 + 893, reasoningTokens: 893 }),
  },

  // finish_reason "stop"; usage in x_groq: prompt_tokens 45, completion_tokens 662.
  'groq/groq-text.chunks.txt': {
    text: {
      length: 3189,
      startsWith: 'Introducing "Luminaria" - a new holiday that celebrates the magic of l',
      endsWith: ' and a deeper appreciation for the magic of light.',
      sha256: 'ca1f8ad858e90cfae58a43d5a1aa6cf08d2f572b50f498e121da8415e36f9063',
    },
    toolCalls: [],
    finishReason: 'stop',
    usage: usage({ inputTokens: 45, outputTokens: 662 }),
  },
  // finish_reason "stop"; prompt_tokens 45, completion_tokens 607.
  'groq/groq-text.json': {
    text: {
      length: 2953,
      startsWith: 'I\'d like to introduce "Luminaria" - a joyous holiday that celebrates t',
      endsWith: 'her, we can create a brighter, more radiant world.',
      sha256: '3cb2fb56b7cc26b37c92045da39bf1584860fd63b662c6fdc0220ba103da8cc5',
    },
    toolCalls: [],
    finishReason: 'stop',
    usage: usage({ inputTokens: 45, outputTokens: 607 }),
  },
  // finish_reason "tool_calls"; x_groq prompt_tokens 210, completion_tokens 15.
  'groq/groq-tool-call.chunks.txt': {
    text: null,
    toolCalls: [{ id: 'tk85n1k4m', name: 'weather', arguments: {} }],
    finishReason: 'tool_calls',
    usage: usage({ inputTokens: 210, outputTokens: 15 }),
  },
  // finish_reason "tool_calls"; prompt_tokens 218, completion_tokens 15.
  'groq/groq-tool-call.json': {
    text: null,
    toolCalls: [{ id: 'ax9fskhev', name: 'weather', arguments: {} }],
    finishReason: 'tool_calls',
    usage: usage({ inputTokens: 218, outputTokens: 15 }),
  },

  // finish_reason "stop"; prompt_tokens 13, completion_tokens 8.
  'mistral/mistral-text.chunks.txt': { text: 'Hello, world! This is a test response.', toolCalls: [], finishReason: 'stop', usage: usage({ inputTokens: 13, outputTokens: 8 }) },
  // finish_reason "stop"; prompt_tokens 13, completion_tokens 434.
  'mistral/mistral-text.json': {
    text: {
      length: 1926,
      startsWith: '**Holiday Name: "World Kindness Day of Sharing"**\n\n**Date:** The third',
      endsWith: '.\n\nWould you celebrate it? What would you share? 😊',
      sha256: '744e3a012c895d61979c0a762de209842f031a24dc027c8cf49e88252abbd58f',
    },
    toolCalls: [],
    finishReason: 'stop',
    usage: usage({ inputTokens: 13, outputTokens: 434 }),
  },
  // finish_reason "tool_calls"; prompt_tokens 124, completion_tokens 22.
  'mistral/mistral-tool-call.chunks.txt': {
    text: null,
    toolCalls: [{ id: 'gSIMJiOkT', name: 'weather', arguments: { location: 'San Francisco' } }],
    finishReason: 'tool_calls',
    usage: usage({ inputTokens: 124, outputTokens: 22 }),
  },
  'mistral/mistral-tool-call.json': {
    text: null,
    toolCalls: [{ id: 'gSIMJiOkT', name: 'weather', arguments: { location: 'San Francisco' } }],
    finishReason: 'tool_calls',
    usage: usage({ inputTokens: 124, outputTokens: 22 }),
  },

  // finish_reason "stop"; prompt_tokens 16 (cached_tokens 0), completion_tokens 300 (reasoning_tokens 0).
  'openai/openai-text.chunks.txt': {
    text: {
      length: 1724,
      startsWith: '**Holiday Name:** Harmony Day\n\n**Date:** Celebrated annually on the fi',
      endsWith: 'rough shared human experiences and mutual respect.',
      sha256: '53b2d9e583d02b3ff0a0e83be5beb61ce1d16ccddc7ab9f033e72ec8ef55c8e4',
    },
    toolCalls: [],
    finishReason: 'stop',
    usage: usage({ inputTokens: 16, outputTokens: 300 }),
  },
  // finish_reason "stop"; prompt_tokens 16 (cached_tokens 0), completion_tokens 363.
  'openai/openai-text.json': {
    text: {
      length: 1842,
      startsWith: '**Holiday Name:** Galaxy Day  \n\n**Date:** October 31st, aligning with ',
      endsWith: 'individuals to look up and dream beyond our world.',
      sha256: '0bd93e941831fcdd0cead365718237285a315e63f5e693b7cd532fbb221ef58f',
    },
    toolCalls: [],
    finishReason: 'stop',
    usage: usage({ inputTokens: 16, outputTokens: 363 }),
  },
}
