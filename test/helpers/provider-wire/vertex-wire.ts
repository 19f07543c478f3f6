import type { SetupServer } from 'msw/node'
import { anthropicVertex, google } from '../../../src/index.js'
import { anthropicWire } from './anthropic-wire.js'
import { googleWire } from './google-wire.js'
import { captureCalls, jsonAnswer, type ProviderWire, type WireError } from './provider-wire.js'

/**
 * Vertex AI, Google Cloud's host of Gemini and Claude. There is no recording of Vertex traffic, so
 * the bodies are Google's and Anthropic's recorded answers (Vertex serves the same bodies) at the
 * Vertex URL shapes; authentication is an access token handed to each SDK, so Google's OAuth
 * endpoint is never asked. Vertex's own failures (a rejected token, a quota) come in Google's
 * error format, without a retry delay.
 */
const project = 'switchyard-parity'
const accessToken = 'ya29.test-parity-vertex-access-token-0123456789'

function googleError(status: number, statusName: string, message: string): WireError {
  return { status, body: { error: { code: status, message, status: statusName } } }
}

const vertexAuthError = googleError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.')
const vertexQuotaError = googleError(429, 'RESOURCE_EXHAUSTED', 'Resource exhausted. Please try again later. Please refer to https://cloud.google.com/vertex-ai/generative-ai/docs/error-code-429 for more details.')

const geminiLocation = 'us-central1'
const geminiModels = `https://${geminiLocation}-aiplatform\\.googleapis\\.com/v1beta1/projects/${project}/locations/${geminiLocation}/publishers/google/models/[^/:]+`

/** Gemini on Vertex AI: `google({ vertexai })` at `{location}-aiplatform.googleapis.com/v1beta1/projects/…/publishers/google/models/…`. */
export const vertexWire: ProviderWire = {
  ...googleWire,
  provider: 'vertex',
  recordingsFolder: 'google',
  apiKey: accessToken,
  create: () => google({ vertexai: { project, location: geminiLocation, accessToken } }),
  serveChat: (server, respond) => captureCalls(server, new RegExp(`^${geminiModels}:(generateContent|streamGenerateContent)`), (url) => url.pathname.endsWith(':streamGenerateContent'), respond),
  error(kind) {
    if (kind === 'auth') return vertexAuthError
    if (kind === 'rate-limit') return vertexQuotaError
    return googleWire.error(kind)
  },
  // Vertex counts embedding tokens (`statistics.token_count`), unlike the Gemini API.
  embeddingModel: 'text-embedding-005',
  embeddingTokensReported: undefined,
  serveEmbeddings: (server: SetupServer, vectors: number[][], inputTokens: number) =>
    captureCalls(server, new RegExp(`^${geminiModels}:predict`), () => false, () =>
      jsonAnswer({
        predictions: vectors.map((values, index) => ({ embeddings: { values, statistics: { token_count: index === 0 ? inputTokens - vectors.length + 1 : 1, truncated: false } } })),
        metadata: { billableCharacterCount: 9 },
      }),
    ),
}

const claudeRegion = 'us-east5'

/** Claude on Vertex AI: `anthropicVertex()` at `…/publishers/anthropic/models/{model}:rawPredict` and `:streamRawPredict`. */
export const anthropicVertexWire: ProviderWire = {
  ...anthropicWire,
  provider: 'anthropic-vertex',
  recordingsFolder: 'anthropic',
  apiKey: accessToken,
  create: () => anthropicVertex({ projectId: project, region: claudeRegion, accessToken }),
  serveChat: (server, respond) =>
    captureCalls(
      server,
      new RegExp(`^https://${claudeRegion}-aiplatform\\.googleapis\\.com/v1/projects/${project}/locations/${claudeRegion}/publishers/anthropic/models/[^/:]+:(rawPredict|streamRawPredict)`),
      (url) => url.pathname.endsWith(':streamRawPredict'),
      respond,
    ),
  error(kind) {
    // Model errors pass through in Anthropic's format; Vertex's own authentication and quota do not.
    if (kind === 'auth') return vertexAuthError
    if (kind === 'rate-limit') return vertexQuotaError
    return anthropicWire.error(kind)
  },
  // Vertex names dated Claude models with `@`.
  jsonEmulation: { ...anthropicWire.jsonEmulation!, model: 'claude-sonnet-4@20250514' },
}
