import { ProviderError } from '../errors/errors.js'

/**
 * For a success status whose body is not the answer it should be (an SSE body to a non-streamed
 * call, no `choices`, no `candidates`, no `content`): a broken answer, never an empty one.
 * Retryable, so the router tries again and then moves on to the next candidate.
 */
export function malformedResponseError(provider: string, model: string, problem: string): ProviderError {
  return new ProviderError(`${provider}/${model}: the provider answered with success but the answer is malformed (${problem}).`, {
    provider,
    model,
    retryable: true,
  })
}

/** Whether a value is a JSON object (not `null`, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
