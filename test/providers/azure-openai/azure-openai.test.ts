import { calcPrice } from '@pydantic/genai-prices'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { azureOpenai, ConfigurationError, ContentFilteredError, createRouter, fallback, RateLimitError, type ChatChunk } from '../../../src/index.js'
import { serveAndCapture } from '../../helpers/capture.js'
import { useMswServer } from '../../helpers/msw.js'
import { recordedChunks, recordedJson } from '../../helpers/recordings.js'
import { errorAnswer, jsonAnswer, sseAnswer } from '../../helpers/provider-wire/provider-wire.js'

const server = useMswServer()
afterEach(() => vi.unstubAllEnvs())

const key = 'azure-key-0123456789abcdef0123456789'
const endpoint = 'https://contoso-ai.openai.azure.com'
const hello = { messages: [{ role: 'user' as const, content: 'Hello' }] }
const promptFilterChunk = { choices: [], created: 0, id: '', model: '', object: '', prompt_filter_results: [{ prompt_index: 0, content_filter_results: { hate: { filtered: false, severity: 'safe' } } }] }

function clearAzureEnvironment() {
  for (const name of ['AZURE_OPENAI_API_KEY', 'AZURE_OPENAI_ENDPOINT', 'OPENAI_API_VERSION']) vi.stubEnv(name, '')
}

async function collect(stream: AsyncIterable<ChatChunk>): Promise<ChatChunk[]> {
  const chunks: ChatChunk[] = []
  for await (const chunk of stream) chunks.push(chunk)
  return chunks
}

/** The catalog's Azure price for the recorded usage, computed by the catalog package itself. */
function azureCatalogCost(model: string, usage: { prompt_tokens: number; completion_tokens: number }): number {
  const price = calcPrice({ input_tokens: usage.prompt_tokens, output_tokens: usage.completion_tokens }, model, { providerId: 'azure' })
  expect(price, `the catalog prices ${model} on Azure`).toBeDefined()
  return price!.total_price
}

describe('azureOpenai: configuration fails at createRouter, naming what to set', () => {
  it('no key and no token provider names AZURE_OPENAI_API_KEY and both options', () => {
    clearAzureEnvironment()
    const create = () => createRouter({ providers: [azureOpenai({ endpoint, apiVersion: '2024-10-21' })] })
    expect(create).toThrow(ConfigurationError)
    expect(create).toThrow(/AZURE_OPENAI_API_KEY.*apiKey.*azureADTokenProvider/)
  })

  it('no endpoint names AZURE_OPENAI_ENDPOINT, endpoint and resourceName, and never the key', () => {
    clearAzureEnvironment()
    let thrown: unknown
    try {
      createRouter({ providers: [azureOpenai({ apiKey: key, apiVersion: '2024-10-21' })] })
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(ConfigurationError)
    expect(String((thrown as Error).message)).toMatch(/AZURE_OPENAI_ENDPOINT.*endpoint.*resourceName/)
    expect(JSON.stringify(thrown) + String(thrown)).not.toContain(key)
  })

  it('no API version names OPENAI_API_VERSION and apiVersion', () => {
    clearAzureEnvironment()
    expect(() => createRouter({ providers: [azureOpenai({ apiKey: key, endpoint })] })).toThrow(/OPENAI_API_VERSION.*apiVersion/)
  })
})

describe('azureOpenai: requests', () => {
  it('reads key, endpoint and API version from the environment and calls the deployment named like the model', async () => {
    vi.stubEnv('AZURE_OPENAI_API_KEY', key)
    vi.stubEnv('AZURE_OPENAI_ENDPOINT', `${endpoint}/`)
    vi.stubEnv('OPENAI_API_VERSION', '2025-04-01-preview')
    const recorded = recordedJson('openai', 'openai-text')
    const captured = serveAndCapture(server, `${endpoint}/openai/deployments/gpt-4.1-nano/chat/completions`, () => jsonAnswer(recorded))
    const result = await createRouter({ providers: [azureOpenai()] }).chat({ ...hello, model: 'azure/gpt-4.1-nano' })
    expect(result.choices[0]!.message.content).toBe(recorded.choices[0].message.content)
    expect(captured).toHaveLength(1)
    expect(new URL(captured[0]!.url).searchParams.get('api-version')).toBe('2025-04-01-preview')
    expect(captured[0]!.headers.get('api-key')).toBe(key)
    expect(captured[0]!.headers.get('authorization')).toBeNull()
  })

  it('an Entra ID token provider sends a bearer token and no api-key; resourceName builds the endpoint', async () => {
    clearAzureEnvironment()
    vi.stubEnv('AZURE_OPENAI_API_KEY', key)
    const captured = serveAndCapture(server, 'https://fabrikam.openai.azure.com/openai/deployments/prod-4o/chat/completions', () => jsonAnswer(recordedJson('openai', 'openai-text')))
    const tokenProvider = vi.fn(async () => 'entra-token-abc')
    const router = createRouter({ providers: [azureOpenai({ resourceName: 'fabrikam', apiVersion: '2024-10-21', azureADTokenProvider: tokenProvider, deployments: { 'gpt-4o': 'prod-4o' } })] })
    await router.chat({ ...hello, model: 'azure/gpt-4o' })
    expect(tokenProvider).toHaveBeenCalled()
    expect(captured[0]!.headers.get('authorization')).toBe('Bearer entra-token-abc')
    expect(captured[0]!.headers.get('api-key')).toBeNull()
    // The deployment is in the path; the body keeps the deployment name as its model, as the SDK sends it.
    expect(captured[0]!.body.model).toBe('prod-4o')
  })

  it('prices the answer at the catalog’s Azure price for the model the answer names (a deployment name as model id), streamed and not', async () => {
    const recordedAnswer = recordedJson('openai', 'openai-text')
    const recordedStream = recordedChunks('openai', 'openai-text')
    // The model id is the deployment's own name, which the catalog cannot know: only the answer's model prices the call.
    serveAndCapture(server, `${endpoint}/openai/deployments/prod-chat/chat/completions`, (body) =>
      body.stream ? sseAnswer([promptFilterChunk, ...recordedStream], { namedEvents: false, done: true }) : jsonAnswer(recordedAnswer),
    )
    const router = createRouter({ providers: [azureOpenai({ apiKey: key, endpoint, apiVersion: '2024-10-21' })] })

    const result = await router.chat({ ...hello, model: 'azure/prod-chat' })
    expect(result.cost.total).toBeCloseTo(azureCatalogCost(recordedAnswer.model, recordedAnswer.usage), 12)

    const chunks = await collect(router.stream({ ...hello, model: 'azure/prod-chat' }))
    const streamedUsage = recordedStream.findLast((chunk) => chunk.usage)!.usage
    const last = chunks.at(-1)!
    // Azure's opening chunk has no model: the stream must take its model from the first real chunk.
    expect(last.cost!.total).not.toBeNull()
    expect(last.cost!.total).toBeCloseTo(azureCatalogCost(recordedStream[0].model, streamedUsage), 12)
    expect(JSON.stringify(chunks.map((chunk) => chunk.provider_metadata))).toContain('prompt_filter_results')
  })

  it('maps Azure’s content-filter 400 to ContentFilteredError and a 429 to RateLimitError with retry-after, without the key', async () => {
    // No retries: the error is what one answer produced.
    const router = createRouter({ providers: [azureOpenai({ apiKey: key, endpoint, apiVersion: '2024-10-21' })], routes: { once: fallback(['azure/gpt-4o'], { retries: 0 }) } })
    const url = `${endpoint}/openai/deployments/gpt-4o/chat/completions`
    serveAndCapture(server, url, () =>
      errorAnswer({
        status: 400,
        body: { error: { message: "The response was filtered due to the prompt triggering Azure OpenAI's content management policy.", type: null, param: 'prompt', code: 'content_filter', status: 400, innererror: { code: 'ResponsibleAIPolicyViolation' } } },
      }),
    )
    const filtered = await router.chat({ ...hello, model: 'once' }).catch((error: unknown) => error)
    expect(filtered).toBeInstanceOf(ContentFilteredError)
    expect(filtered).toMatchObject({ provider: 'azure', status: 400, retryable: false })

    server.resetHandlers()
    serveAndCapture(server, url, () => errorAnswer({ status: 429, headers: { 'retry-after': '6' }, body: { error: { code: '429', message: `Rate limit exceeded for key ${key}. Please retry after 6 seconds.` } } }))
    const limited = await router.chat({ ...hello, model: 'once' }).catch((error: unknown) => error)
    expect(limited).toBeInstanceOf(RateLimitError)
    expect(limited).toMatchObject({ provider: 'azure', status: 429, retryAfterMs: 6000 })
    expect(String((limited as Error).message) + JSON.stringify(limited)).not.toContain(key)
  })
})
