// A Switchyard route as a Vercel AI SDK model: generateText with a tool, then streamText.
//   npx tsx examples/ai-sdk.ts
// Runs offline on mock providers; swap them for openai(), anthropic(), ... and real model ids.
// In your code: import { createSwitchyardProvider } from 'switchyard/ai-sdk'
import { generateText, jsonSchema, stepCountIs, streamText, tool } from 'ai'
import { createSwitchyardProvider } from '../src/ai-sdk/index.js'
import { createRouter, fallback, mockProvider, type ModelRequest } from '../src/index.js'

const router = createRouter({
  providers: [
    // The primary model is down; the route falls back to the backup, invisibly to the AI SDK.
    mockProvider({ id: 'primary', models: { large: { error: 'overloaded' } } }),
    mockProvider({
      id: 'backup',
      models: {
        small: (request: ModelRequest) => {
          const toolResult = request.messages.find((message) => message.role === 'tool')
          if (toolResult) return { text: `It is ${String(toolResult.content)} in Paris today.`, usage: { inputTokens: 60, outputTokens: 9 } }
          if (request.tools?.length) return { toolCalls: [{ id: 'call_1', name: 'weather', arguments: { city: 'Paris' } }], usage: { inputTokens: 50, outputTokens: 12 } }
          return { text: 'Bonjour from the backup model.', usage: { inputTokens: 8, outputTokens: 6 } }
        },
      },
    }),
  ],
  prices: { 'backup/small': { input: 0.15, output: 0.6 } },
  routes: { default: fallback(['primary/large', 'backup/small'], { retries: 0 }) },
})

const switchyard = createSwitchyardProvider(router)

// Multi-step tool calling: the AI SDK runs the tool, the router serves every step.
const answer = await generateText({
  model: switchyard('default'),
  prompt: 'What is the weather in Paris?',
  tools: {
    weather: tool({
      description: 'Current weather in a city',
      inputSchema: jsonSchema<{ city: string }>({ type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }),
      execute: async ({ city }) => (city === 'Paris' ? '21°C and sunny' : 'unknown'),
    }),
  },
  stopWhen: stepCountIs(3),
})
console.log(`answer   : ${answer.text}`)
console.log(`steps    : ${answer.steps.length}`)
for (const [index, step] of answer.steps.entries()) {
  const { cost, route } = step.providerMetadata?.switchyard as { cost: { total: number }; route: { provider: string; model: string; attempts: Array<{ provider: string; outcome: string }> } }
  const tries = route.attempts.map((attempt) => `${attempt.provider} ${attempt.outcome}`).join(', ')
  console.log(`step ${index + 1}   : served by ${route.provider}/${route.model} (${tries}), cost $${cost.total.toFixed(8)}`)
}

// Streaming: text deltas as they come; cost and route once the stream has finished.
const stream = streamText({ model: switchyard('default'), prompt: 'Say hello.' })
let streamed = ''
for await (const delta of stream.textStream) streamed += delta
const streamedMetadata = (await stream.providerMetadata)?.switchyard as { cost: { total: number }; route: { provider: string } }
console.log(`streamed : ${streamed} (served by ${streamedMetadata.route.provider}, cost $${streamedMetadata.cost.total.toFixed(8)})`)
