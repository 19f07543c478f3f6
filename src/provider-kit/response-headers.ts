import type { ProviderQuotaService } from '../spec/provider-adapter.js'

/** What the official Stainless-generated SDKs (`openai`, `@anthropic-ai/sdk`, `groq-sdk`) return from a request. */
export interface ResponsePromise<Data> extends PromiseLike<Data> {
  withResponse?(): Promise<{ data: Data; response: { headers: Headers } }>
  /** The raw `Response`, its body unread (a failure status rejects with the SDK's error, as awaiting does). */
  asResponse?(): Promise<Response>
}

/**
 * Awaits an SDK request and, when the router follows provider rate limits (`quota`), reports the
 * successful response's headers for `source` and `model`. A client without `withResponse()` (a
 * user's own look-alike) is awaited as is: there are no headers to report.
 */
export async function withResponseHeaders<Data>(request: ResponsePromise<Data>, quota: ProviderQuotaService | undefined, source: string, model: string): Promise<Data> {
  if (!quota || typeof request.withResponse !== 'function') return await request
  const { data, response } = await request.withResponse()
  quota.observe(source, model, response.headers)
  return data
}
