import { calcPrice } from '@pydantic/genai-prices'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { anthropicVertex, ConfigurationError, createRouter, google } from '../../../src/index.js'
import { serveAndCapture } from '../../helpers/capture.js'
import { useMswServer } from '../../helpers/msw.js'
import { recordedJson } from '../../helpers/recordings.js'
import { jsonAnswer } from '../../helpers/provider-wire/provider-wire.js'

const server = useMswServer()
afterEach(() => {
  vi.unstubAllEnvs()
  vi.unstubAllGlobals()
})

const hello = { messages: [{ role: 'user' as const, content: 'Hello' }] }
const vertexVariables = ['GOOGLE_CLOUD_PROJECT', 'GOOGLE_CLOUD_LOCATION', 'GOOGLE_APPLICATION_CREDENTIALS', 'ANTHROPIC_VERTEX_PROJECT_ID', 'CLOUD_ML_REGION', 'GOOGLE_API_KEY', 'GEMINI_API_KEY']

function clearVertexEnvironment() {
  for (const name of vertexVariables) vi.stubEnv(name, undefined)
}

function thrownBy(create: () => unknown): Error {
  try {
    create()
  } catch (error) {
    return error as Error
  }
  throw new Error('expected a throw')
}

describe('google({ vertexai }): Gemini on Vertex AI', () => {
  it('no project fails at createRouter naming GOOGLE_CLOUD_PROJECT and the option', () => {
    clearVertexEnvironment()
    const error = thrownBy(() => createRouter({ providers: [google({ vertexai: { location: 'us-central1', accessToken: 'token' } })] }))
    expect(error).toBeInstanceOf(ConfigurationError)
    expect(error.message).toMatch(/GOOGLE_CLOUD_PROJECT.*google\(\{ vertexai: \{ project, location \} \}\)/)
  })

  it('without an access token in a runtime lacking Node APIs, names the runtime and the accessToken option', () => {
    clearVertexEnvironment()
    vi.stubGlobal('EdgeRuntime', 'edge-runtime')
    const error = thrownBy(() => createRouter({ providers: [google({ vertexai: { project: 'acme' } })] }))
    expect(error).toBeInstanceOf(ConfigurationError)
    expect(error.message).toMatch(/cannot run in edge-light.*accessToken/)
    // With a token it is accepted there.
    expect(() => createRouter({ providers: [google({ vertexai: { project: 'acme', accessToken: 'token' } })] })).not.toThrow()
  })

  it('takes project and location from the environment, sends the token as a bearer and no API key, at the Vertex URL', async () => {
    clearVertexEnvironment()
    vi.stubEnv('GOOGLE_CLOUD_PROJECT', 'acme-prod')
    vi.stubEnv('GOOGLE_CLOUD_LOCATION', 'europe-west4')
    // A Gemini API key in the environment must not turn the client into the Gemini API (or Vertex express mode).
    vi.stubEnv('GOOGLE_API_KEY', 'AIzaSyShouldNotBeSent0123456789')
    const recorded = recordedJson('google', 'google-text')
    const captured = serveAndCapture(server, 'https://europe-west4-aiplatform.googleapis.com/v1beta1/projects/acme-prod/locations/europe-west4/publishers/google/models/gemini-2.5-flash:generateContent', () => jsonAnswer(recorded))
    const token = vi.fn(async () => 'ya29.fresh-token')
    const router = createRouter({ providers: [google({ vertexai: { accessToken: token } })] })
    const result = await router.chat({ ...hello, model: 'vertex/gemini-2.5-flash' })
    expect(result.route.provider).toBe('vertex')
    expect(result.choices[0]!.message.content).toBe(recorded.candidates[0].content.parts.map((part: { text: string }) => part.text).join(''))
    expect(token).toHaveBeenCalled()
    expect(captured[0]!.headers.get('authorization')).toBe('Bearer ya29.fresh-token')
    expect(captured[0]!.headers.get('x-goog-api-key')).toBeNull()
    // Priced with the catalog's Gemini price for the model the answer names.
    const usage = recorded.usageMetadata
    const price = calcPrice({ input_tokens: usage.promptTokenCount, output_tokens: usage.candidatesTokenCount + (usage.thoughtsTokenCount ?? 0) }, recorded.modelVersion, { providerId: 'google' })!
    expect(result.cost.total).toBeCloseTo(price.total_price, 12)
  })
})

describe('anthropicVertex(): Claude on Vertex AI', () => {
  it('no region names CLOUD_ML_REGION; no project names ANTHROPIC_VERTEX_PROJECT_ID', () => {
    clearVertexEnvironment()
    expect(thrownBy(() => createRouter({ providers: [anthropicVertex({ projectId: 'acme' })] })).message).toMatch(/CLOUD_ML_REGION.*anthropicVertex\(\{ region/)
    expect(thrownBy(() => createRouter({ providers: [anthropicVertex({ region: 'us-east5' })] })).message).toMatch(/ANTHROPIC_VERTEX_PROJECT_ID.*anthropicVertex\(\{ projectId \}\)/)
  })

  it('in a runtime without Node APIs fails at createRouter, naming the runtime', () => {
    clearVertexEnvironment()
    vi.stubGlobal('navigator', { userAgent: 'Cloudflare-Workers' })
    const error = thrownBy(() => createRouter({ providers: [anthropicVertex({ projectId: 'acme', region: 'us-east5', accessToken: 'token' })] }))
    expect(error).toBeInstanceOf(ConfigurationError)
    expect(error.message).toMatch(/google-auth-library.*workerd/)
  })

  it('posts to :rawPredict with the model in the path, a bearer token, and prices at the catalog’s Anthropic price', async () => {
    clearVertexEnvironment()
    vi.stubEnv('CLOUD_ML_REGION', 'europe-west1')
    vi.stubEnv('GOOGLE_CLOUD_PROJECT', 'acme-prod')
    const recorded = recordedJson('anthropic', 'anthropic-text')
    const model = 'claude-sonnet-4-5@20250929'
    const captured = serveAndCapture(server, `https://europe-west1-aiplatform.googleapis.com/v1/projects/acme-prod/locations/europe-west1/publishers/anthropic/models/${model}:rawPredict`, () => jsonAnswer(recorded))
    const router = createRouter({ providers: [anthropicVertex({ accessToken: 'ya29.claude-token' })] })
    const result = await router.chat({ ...hello, model: `anthropic-vertex/${model}` })
    expect(result.choices[0]!.message.content).toBe(recorded.content[0].text)
    expect(captured[0]!.headers.get('authorization')).toBe('Bearer ya29.claude-token')
    expect(captured[0]!.headers.get('x-api-key')).toBeNull()
    expect(captured[0]!.body.model).toBeUndefined()
    expect(captured[0]!.body.anthropic_version).toMatch(/\S/)
    const price = calcPrice({ input_tokens: recorded.usage.input_tokens, output_tokens: recorded.usage.output_tokens }, model, { providerId: 'anthropic' })!
    expect(result.cost.total).toBeCloseTo(price.total_price, 12)
  })
})
