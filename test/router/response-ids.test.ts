import { describe, expect, it } from 'vitest'
import { ResponseIds } from '../../src/router/response-ids.js'

describe('ResponseIds', () => {
  it('never repeats an id, within one router or across routers', () => {
    const first = new ResponseIds()
    const second = new ResponseIds()
    const ids = new Set<string>()
    for (let index = 0; index < 1_000; index += 1) {
      ids.add(first.next())
      ids.add(second.next())
    }
    expect(ids.size).toBe(2_000)
  })

  it('makes ids in OpenAI’s shape: chatcmpl- and letters and digits', () => {
    expect(new ResponseIds().next()).toMatch(/^chatcmpl-[0-9a-z]{21,}$/)
  })
})
