import { inspect } from 'node:util'
import { expect } from 'vitest'
import { createRouter, fallback, SwitchyardError, type ChatRequest, type ProviderAdapter, type Router, type RouterEvent } from '../../src/index.js'

export type CallMode = 'chat' | 'stream'

/**
 * A router with one route, `once`, to `modelId` and no retries, so each call is exactly one HTTP
 * request; its events go to `events`.
 */
export function onceRouter(provider: ProviderAdapter, modelId: string, events: RouterEvent[] = []): Router {
  return createRouter({ providers: [provider], routes: { once: fallback([modelId], { retries: 0 }) }, onEvent: (event) => events.push(event) })
}

/** The smallest request to the `once` route of onceRouter(). */
export const onceRequest: ChatRequest = { model: 'once', messages: [{ role: 'user', content: 'hi' }] }

/** The typed error a `chat()` call, or a `stream()` read to its end, failed with. Fails the test if the call succeeded. */
export async function failedCall(router: Router, request: ChatRequest, mode: CallMode): Promise<SwitchyardError> {
  try {
    if (mode === 'chat') await router.chat(request)
    else for await (const _chunk of router.stream(request)) void _chunk
  } catch (error) {
    expect(error).toBeInstanceOf(SwitchyardError)
    return error as SwitchyardError
  }
  throw new Error('the call did not fail')
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

/** One row of a provider's error table: what the typed error must be and carry. */
export interface TypedErrorExpectation {
  errorClass: new (...args: any[]) => SwitchyardError
  code: string
  status: number
  retryable: boolean
  /** `undefined` asserts that the error carries none. */
  retryAfterMs?: number
  provider: string
  model: string
  /** Text of the provider's message the error must quote. */
  message: string
}

export function expectTypedError(error: SwitchyardError, expected: TypedErrorExpectation): void {
  expect(error).toBeInstanceOf(expected.errorClass)
  // The exact class, not just an ancestor (ProviderError is the parent of most of them).
  expect(error.constructor).toBe(expected.errorClass)
  expect(error.code).toBe(expected.code)
  expect(error.status).toBe(expected.status)
  expect(error.retryable).toBe(expected.retryable)
  expect(error.retryAfterMs).toBe(expected.retryAfterMs)
  expect(error.provider).toBe(expected.provider)
  expect(error.model).toBe(expected.model)
  expect(error.message).toContain(expected.message)
}

/**
 * Asserts that a key appears nowhere a user could see it: the error's message, JSON, string form
 * and stack, what a logger prints of it (causes included), and the router's events.
 */
export function expectKeyHidden(key: string, error: SwitchyardError, events: readonly RouterEvent[] = []): void {
  const places = {
    message: error.message,
    json: JSON.stringify(error),
    string: String(error),
    stack: String(error.stack),
    inspected: inspect(error, { depth: 10 }),
    events: JSON.stringify(events),
    inspectedEvents: inspect(events, { depth: 10 }),
  }
  for (const [place, text] of Object.entries(places)) expect(text, `the key leaked into the ${place}`).not.toContain(key)
}
