import { describe, expect, it } from 'vitest'
import { MissingDependencyError } from '../../src/index.js'
import { lazyClient } from '../../src/provider-kit/lazy-client.js'
import { loadPeer } from '../../src/provider-kit/load-peer.js'

describe('loadPeer: lazy import of an optional provider SDK', () => {
  it('turns a missing package into a MissingDependencyError that says what to install', async () => {
    // A real failed import of a package that is not installed.
    const error = await loadPeer('switchyard-no-such-sdk', () => import('switchyard-no-such-sdk' as string)).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(MissingDependencyError)
    expect((error as MissingDependencyError).code).toBe('missing_dependency')
    expect((error as Error).message).toContain('npm install switchyard-no-such-sdk')
  })

  it('lets any other import failure through unchanged', async () => {
    const broken = new SyntaxError('Unexpected token in the SDK')
    await expect(loadPeer('openai', () => Promise.reject(broken))).rejects.toBe(broken)
  })
})

describe('lazyClient', () => {
  it('builds the SDK client on the first call only, and once', async () => {
    let built = 0
    const getClient = lazyClient(undefined, async () => ({ instance: ++built }))
    expect(built).toBe(0)
    const [first, second] = await Promise.all([getClient(), getClient()])
    expect(first).toBe(second)
    expect(built).toBe(1)
  })

  it('uses a ready-made client as given and never builds one', async () => {
    const ready = { instance: 'mine' }
    const getClient = lazyClient(ready, () => Promise.reject(new Error('must not build')))
    expect(await getClient()).toBe(ready)
  })
})
