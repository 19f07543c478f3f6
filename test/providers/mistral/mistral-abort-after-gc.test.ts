import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { expect, it, vi } from 'vitest'
import { createRouter } from '../../../src/index.js'
import { useMswServer } from '../../helpers/msw.js'
import { mistralWire } from '../../helpers/provider-wire/mistral-wire.js'

setFlagsFromString('--expose-gc')
const collectGarbage = runInNewContext('gc') as () => void

const server = useMswServer()

// The SDK sends a `Request.clone()`, whose signal Node 20's undici follows only weakly: without the
// adapter's own signal hand-over, a garbage collection here drops the cancellation.
it('cancels the HTTP request of an aborted call even after a garbage collection during the call', async () => {
  const calls = mistralWire.serveChat(server, (call) => new Promise<Response>((resolve) => call.signal.addEventListener('abort', () => resolve(mistralWire.jsonResponse(mistralWire.text().json)))))
  const controller = new AbortController()
  const router = createRouter({ providers: [mistralWire.create()] })
  const pending = router.chat({ model: `mistral/${mistralWire.model}`, messages: [{ role: 'user', content: 'Hello' }] }, { signal: controller.signal })
  // The first call loads the Mistral SDK, which takes seconds on a busy machine.
  await vi.waitFor(() => expect(calls).toHaveLength(1), { timeout: 20_000 })
  // The hand-over header is the adapter's own: it never reaches the provider.
  expect(calls[0]!.headers.get('x-switchyard-signal')).toBeNull()
  for (let round = 0; round < 3; round += 1) {
    collectGarbage()
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  controller.abort()
  await expect(pending).rejects.toMatchObject({ code: 'aborted' })
  await vi.waitFor(() => expect(calls[0]!.signal.aborted).toBe(true), { timeout: 5_000 })
}, 30_000)
