import { describe, expect, it } from 'vitest'
import { RouterIds } from '../../src/router/router-ids.js'
import { createRouter, mockProvider } from '../../src/index.js'

describe('RouterIds', () => {
  it.each(['callId', 'responseId'] as const)('never repeats a %s, within one router or across routers', (kind) => {
    const first = new RouterIds()
    const second = new RouterIds()
    const ids = new Set<string>()
    for (let index = 0; index < 1_000; index += 1) {
      ids.add(first[kind]())
      ids.add(second[kind]())
    }
    expect(ids.size).toBe(2_000)
  })

  it('makes response ids in OpenAI’s shape: chatcmpl- and letters and digits', () => {
    expect(new RouterIds().responseId()).toMatch(/^chatcmpl-[0-9a-z]{21,}$/)
  })

  it('gives each call of a router its own id, the same in its start and end events', async () => {
    const started: string[] = []
    const ended: string[] = []
    const router = createRouter({
      providers: [mockProvider({ id: 'mock', models: { a: 'ok' } })],
      onEvent: (event) => {
        if (event.type === 'call-start') started.push(event.callId)
        if (event.type === 'call-end') ended.push(event.callId)
      },
    })
    await router.chat({ model: 'mock/a', messages: [{ role: 'user', content: 'one' }] })
    await router.chat({ model: 'mock/a', messages: [{ role: 'user', content: 'two' }] })
    expect(started).toHaveLength(2)
    expect(new Set(started).size).toBe(2)
    expect(ended).toEqual(started)
    for (const id of started) expect(id).toMatch(/^[0-9a-z]{21,}$/)
  })

  it('draws its random part without WebCrypto, whose first use loads a module in Node (a cold start’s cost)', () => {
    const crypto = Object.getOwnPropertyDescriptor(globalThis, 'crypto')!
    let reads = 0
    Object.defineProperty(globalThis, 'crypto', { configurable: true, get: () => ((reads += 1), crypto.get ? crypto.get.call(globalThis) : crypto.value) })
    let first: string
    let second: string
    try {
      first = new RouterIds().callId()
      second = new RouterIds().responseId()
    } finally {
      Object.defineProperty(globalThis, 'crypto', crypto)
    }
    expect(reads).toBe(0)
    expect(first).toMatch(/^[0-9a-z]{21,}$/)
    expect(second).toMatch(/^chatcmpl-[0-9a-z]{21,}$/)
    expect(first.slice(0, 20)).not.toBe(second.slice(9, 29))
  })
})
