import type { ProviderQuotaService } from '../spec/provider-adapter.js'

/** What the official Stainless-generated SDKs (`openai`, `@anthropic-ai/sdk`, `groq-sdk`) return from a request. */
export interface ResponsePromise<Data> extends PromiseLike<Data> {
  withResponse?(): Promise<{ data: Data; response: { headers: Headers } }>
  /** The raw `Response`, its body unread (a failure status rejects with the SDK's error, as awaiting does). */
  asResponse?(): Promise<Response>
}

function ignoreFailure(): void {
  // The request's own promise carries the failure to the caller; a failed request has no headers to report.
}

/**
 * Reports a successful response's headers for `source` and `model` as soon as they arrive, without
 * waiting for them: `asResponse()` settles before the SDK has read and parsed the body, so they are
 * reported before the request's own promise resolves. `false` when the request cannot tell its
 * headers that way.
 */
function observeResponseHeaders(request: ResponsePromise<unknown>, quota: ProviderQuotaService, source: string, model: string): boolean {
  if (typeof request.asResponse !== 'function') return false
  request.asResponse().then((response) => quota.observe(source, model, response.headers), ignoreFailure)
  return true
}

/**
 * Awaits an SDK request and, when the router follows provider rate limits (`quota`), reports the
 * successful response's headers for `source` and `model`. A client without `asResponse()` or
 * `withResponse()` (a user's own look-alike) is awaited as is: there are no headers to report.
 */
export async function withResponseHeaders<Data>(request: ResponsePromise<Data>, quota: ProviderQuotaService | undefined, source: string, model: string): Promise<Data> {
  if (!quota || observeResponseHeaders(request, quota, source, model) || typeof request.withResponse !== 'function') return await request
  const { data, response } = await request.withResponse()
  quota.observe(source, model, response.headers)
  return data
}
