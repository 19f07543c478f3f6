import { calcPrice } from '@pydantic/genai-prices'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { AuthenticationError, bedrock, ConfigurationError, createRouter, fallback, RateLimitError, TimeoutError, type ChatChunk } from '../../../src/index.js'
import { eventStreamResponse, exceptionFrame } from '../../helpers/aws-event-stream.js'
import { startHttp2Upstream, type Http2Request, type Http2Upstream } from '../../helpers/http2-upstream.js'
import { recordedChunks, recordedJson } from '../../helpers/recordings.js'

let upstream: Http2Upstream
beforeAll(async () => {
  upstream = await startHttp2Upstream()
})
afterAll(() => upstream.close())
afterEach(() => {
  vi.unstubAllEnvs()
  vi.unstubAllGlobals()
  upstream.answer(undefined)
})

const credentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' }
const hello = { messages: [{ role: 'user' as const, content: 'Hello' }] }
const claude = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0'

function clearAwsEnvironment() {
  for (const name of ['AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_BEARER_TOKEN_BEDROCK']) {
    // Removed, not emptied: the SDK itself reads some of them and treats an empty one as set.
    vi.stubEnv(name, undefined)
  }
}

function serve(respond: (request: Http2Request) => Response): Http2Request[] {
  const seen: Http2Request[] = []
  upstream.answer((request) => {
    seen.push(request)
    return respond(request)
  })
  return seen
}

/** An AWS REST-JSON error answer, the exception named in `x-amzn-errortype`. */
function awsError(status: number, exception: string, message: string, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ message }), { status, headers: { 'content-type': 'application/json', 'x-amzn-errortype': `${exception}:http://internal.amazon.com/coral/com.amazon.bedrock/`, ...headers } })
}

async function collect(stream: AsyncIterable<ChatChunk>): Promise<ChatChunk[]> {
  const chunks: ChatChunk[] = []
  for await (const chunk of stream) chunks.push(chunk)
  return chunks
}

describe('bedrock: configuration fails at createRouter, naming what to set', () => {
  it('no region names AWS_REGION and the region option', () => {
    clearAwsEnvironment()
    const create = () => createRouter({ providers: [bedrock({ credentials })] })
    expect(create).toThrow(ConfigurationError)
    expect(create).toThrow(/AWS_REGION.*bedrock\(\{ region/)
  })

  it('without credentials in a runtime that lacks Node APIs, names the runtime and what to pass, never a secret', () => {
    clearAwsEnvironment()
    // What workerd reports: no Bun, no Deno, its own user agent.
    vi.stubGlobal('navigator', { userAgent: 'Cloudflare-Workers' })
    let thrown: unknown
    try {
      createRouter({ providers: [bedrock({ region: 'us-east-1' })] })
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(ConfigurationError)
    expect((thrown as Error).message).toMatch(/cannot run in workerd.*credentials.*apiKey/)
  })

  it('in Node, the standard chain may still find shared config files or an instance role: createRouter accepts it', () => {
    clearAwsEnvironment()
    expect(() => createRouter({ providers: [bedrock({ region: 'eu-west-1' })] })).not.toThrow()
  })
})

describe('bedrock: requests', () => {
  it('signs with credentials from the environment (SigV4, region from AWS_REGION) and sends the model id in the path', async () => {
    clearAwsEnvironment()
    vi.stubEnv('AWS_REGION', 'eu-central-1')
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIAENVIRONMENTKEY01')
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'environment-secret-key-0123456789')
    const recorded = recordedJson('bedrock', 'amazon-bedrock-text')
    const seen = serve(() => Response.json(recorded))
    const result = await createRouter({ providers: [bedrock({ baseURL: upstream.url })] }).chat({ ...hello, model: `bedrock/${claude}` })
    expect(result.choices[0]!.message.content).toBe(recorded.output.message.content[0].text)
    expect(seen[0]!.path).toBe(`/model/${encodeURIComponent(claude)}/converse`)
    expect(String(seen[0]!.headers.authorization)).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIAENVIRONMENTKEY01\/\d{8}\/eu-central-1\/bedrock\/aws4_request/)
  })

  it('a Bedrock API key is sent as a bearer token instead of a signature', async () => {
    clearAwsEnvironment()
    const seen = serve(() => Response.json(recordedJson('bedrock', 'amazon-bedrock-text')))
    await createRouter({ providers: [bedrock({ region: 'us-east-1', apiKey: 'bedrock-api-key-abc123', baseURL: upstream.url, headers: { 'x-team': 'search' } })] }).chat({ ...hello, model: `bedrock/${claude}` })
    expect(seen[0]!.headers.authorization).toBe('Bearer bedrock-api-key-abc123')
    expect(seen[0]!.headers['x-team']).toBe('search')
  })

  it.each([claude, 'global.anthropic.claude-sonnet-4-5-20250929-v1:0', 'amazon.nova-pro-v1:0'])('prices %s at the catalog’s AWS Bedrock price, streamed and not', async (model) => {
    const recordedAnswer = recordedJson('bedrock', 'amazon-bedrock-text')
    const recordedStream = recordedChunks('bedrock', 'amazon-bedrock-text')
    serve((request) => (request.path.endsWith('/converse-stream') ? eventStreamResponse(recordedStream) : Response.json(recordedAnswer)))
    const router = createRouter({ providers: [bedrock({ region: 'us-east-1', credentials, baseURL: upstream.url })] })
    const catalogCost = (usage: { inputTokens: number; outputTokens: number }) => calcPrice({ input_tokens: usage.inputTokens, output_tokens: usage.outputTokens }, model, { providerId: 'aws' })!.total_price

    const result = await router.chat({ ...hello, model: `bedrock/${model}` })
    expect(result.cost.total).toBeCloseTo(catalogCost(recordedAnswer.usage), 12)
    const chunks = await collect(router.stream({ ...hello, model: `bedrock/${model}` }))
    const streamedUsage = recordedStream.find((event) => event.metadata)!.metadata.usage
    expect(chunks.at(-1)!.cost!.total).toBeCloseTo(catalogCost(streamedUsage), 12)
  })
})

describe('bedrock: errors', () => {
  const routerWithoutRetries = () =>
    createRouter({ providers: [bedrock({ region: 'us-east-1', credentials, baseURL: upstream.url })], routes: { once: fallback([`bedrock/${claude}`], { retries: 0 }) } })

  it.each([
    ['ThrottlingException with a retry-after header', () => awsError(429, 'ThrottlingException', 'Too many requests, please wait before trying again.', { 'retry-after': '3' }), RateLimitError, { status: 429, retryAfterMs: 3000, retryable: true }],
    ['ServiceQuotaExceededException', () => awsError(400, 'ServiceQuotaExceededException', 'Your request exceeds the service quota for your account.'), RateLimitError, { status: 400, retryable: true }],
    ['AccessDeniedException', () => awsError(403, 'AccessDeniedException', "You don't have access to the model with the specified model ID."), AuthenticationError, { status: 403, retryable: false }],
    ['ModelTimeoutException', () => awsError(408, 'ModelTimeoutException', 'Model has timed out in processing the request.'), TimeoutError, { status: 408, retryable: true }],
  ] as const)('%s', async (_name, answer, errorClass, fields) => {
    const seen = serve(answer)
    const error = await routerWithoutRetries().chat({ ...hello, model: 'once' }).catch((raised: unknown) => raised)
    expect(error).toBeInstanceOf(errorClass)
    expect(error).toMatchObject({ provider: 'bedrock', model: claude, ...fields })
    expect(JSON.stringify(error) + String(error)).not.toContain(credentials.secretAccessKey)
    expect(seen).toHaveLength(1)
  })

  it('a throttlingException frame inside the event stream, before any text, is a RateLimitError', async () => {
    serve(() => eventStreamResponse([{ messageStart: { role: 'assistant' } }], { after: [exceptionFrame('throttlingException', 'Too many tokens, please wait before trying again.')] }))
    const error = await collect(routerWithoutRetries().stream({ ...hello, model: 'once' })).catch((raised: unknown) => raised)
    expect(error).toBeInstanceOf(RateLimitError)
    expect(error).toMatchObject({ provider: 'bedrock', status: 429 })
  })
})
