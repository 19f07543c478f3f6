import { http, HttpResponse } from 'msw'
import type { useMswServer } from '../../helpers/msw.js'

type MswServer = ReturnType<typeof useMswServer>

export const geminiBaseURL = 'https://generativelanguage.googleapis.com/v1beta/models'
/** Shaped like a real Google key, so the redaction of key-like text is exercised too. */
export const testGoogleKey = 'AIzaSyTest-switchyard-0123456789abcdefXYZ'

export interface CapturedGoogleRequest {
  url: URL
  headers: Headers
  body: Record<string, any>
  signal: AbortSignal
}

type Responder = (body: Record<string, any>, call: number) => Response | Promise<Response>

/**
 * Serves `POST {geminiBaseURL}/{model}:{method}` (the URL `@google/genai` calls) with `respond`,
 * recording every request the real SDK sent, body parsed.
 */
export function serveGemini(server: MswServer, model: string, method: 'generateContent' | 'streamGenerateContent' | 'batchEmbedContents', respond: Responder): CapturedGoogleRequest[] {
  const captured: CapturedGoogleRequest[] = []
  server.use(
    http.post(`${geminiBaseURL}/${model}\\:${method}`, async ({ request }) => {
      const body = (await request.json()) as Record<string, any>
      captured.push({ url: new URL(request.url), headers: request.headers, body, signal: request.signal })
      return respond(body, captured.length - 1)
    }),
  )
  return captured
}

/** A Google JSON error body, as the Gemini API sends it. */
export function googleError(status: number, statusName: string, message: string, details: unknown[] = []): Response {
  return HttpResponse.json({ error: { code: status, message, status: statusName, ...(details.length ? { details } : {}) } }, { status })
}

/** A minimal `generateContent` response. */
export function geminiResponse(parts: Array<Record<string, unknown>>, options: { finishReason?: string; usage?: Record<string, number>; responseId?: string } = {}) {
  return {
    candidates: [{ content: { role: 'model', parts }, finishReason: options.finishReason ?? 'STOP', index: 0 }],
    usageMetadata: options.usage ?? { promptTokenCount: 10, candidatesTokenCount: 5, totalTokenCount: 15 },
    modelVersion: 'gemini-2.5-flash',
    responseId: options.responseId ?? 'resp-test',
  }
}

/** Every chunk of a stream. */
export async function collect<Chunk>(stream: AsyncIterable<Chunk>): Promise<Chunk[]> {
  const chunks: Chunk[] = []
  for await (const chunk of stream) chunks.push(chunk)
  return chunks
}

/** The error a call rejected with: the last attempt's own error when the router wrapped it. */
export async function attemptError(promise: Promise<unknown>): Promise<any> {
  const caught = await promise.then(
    () => undefined,
    (error: unknown) => error,
  )
  if (caught === undefined) throw new Error('expected the call to fail, but it succeeded')
  return (caught as { attempts?: Array<{ error?: unknown }> }).attempts?.at(-1)?.error ?? caught
}
