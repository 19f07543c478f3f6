import { HttpResponse } from 'msw'
import type { SetupServer } from 'msw/node'
import { serveAndCapture, type CapturedRequest, type Responder } from '../../helpers/capture.js'

export const geminiBaseURL = 'https://generativelanguage.googleapis.com/v1beta/models'
/** Shaped like a real Google key, so the redaction of key-like text is exercised too. */
export const testGoogleKey = 'AIzaSyTest-switchyard-0123456789abcdefXYZ'

/**
 * Serves `POST {geminiBaseURL}/{model}:{method}` (the URL `@google/genai` calls) with `respond`,
 * recording every request the real SDK sent, body parsed.
 */
export function serveGemini(server: SetupServer, model: string, method: 'generateContent' | 'streamGenerateContent' | 'batchEmbedContents', respond: Responder): CapturedRequest[] {
  return serveAndCapture(server, `${geminiBaseURL}/${model}\\:${method}`, respond)
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
