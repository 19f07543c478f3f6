import { describe, expect, it } from 'vitest'
import { sseBody } from '../../src/facades/sse.js'

const toEvent = (item: string) => ({ data: item })
const onError = (error: unknown) => [{ data: `error: ${String(error)}` }]

/** The body's chunks as the client reads them, decoded. */
async function readChunks(body: ReadableStream<Uint8Array>): Promise<string[]> {
  const reader = body.getReader()
  const decoder = new TextDecoder()
  const chunks: string[] = []
  while (true) {
    const { done, value } = await reader.read()
    if (done) return chunks
    chunks.push(decoder.decode(value))
  }
}

const words = ['one', 'two', 'three', 'four', 'five', 'six']
const eventText = (items: readonly string[]) => items.map((item) => `data: ${item}\n\n`).join('')

describe('sseBody: how events reach a client that is waiting for them', () => {
  it('events the source has at hand together reach the client in one chunk after the first (one upstream read, one chunk)', async () => {
    async function* atHand() {
      // As events parsed from one network read come: each through promise jobs, none through the event loop.
      for (const word of words) yield await Promise.resolve(word)
    }
    const chunks = await readChunks(sseBody(atHand(), toEvent, onError, undefined, { data: '[DONE]' }))
    expect(chunks.join('')).toBe(eventText([...words, '[DONE]']))
    expect(chunks[0]).toBe(eventText(['one']))
    expect(chunks.length).toBeLessThanOrEqual(2)
  })

  it('events that come apart reach the client each as it comes, not held back for the next', async () => {
    const arrivals: number[] = []
    async function* spaced() {
      for (const word of words.slice(0, 3)) {
        await new Promise((resolve) => setTimeout(resolve, 15))
        yield word
      }
    }
    const reader = sseBody(spaced(), toEvent, onError, undefined).getReader()
    const decoder = new TextDecoder()
    const chunks: string[] = []
    const started = performance.now()
    while (true) {
      const { done, value } = await reader.read()
      if (done) break
      arrivals.push(performance.now() - started)
      chunks.push(decoder.decode(value))
    }
    expect(chunks).toEqual(words.slice(0, 3).map((word) => eventText([word])))
    // The first arrived long before the last was made.
    expect(arrivals[2]! - arrivals[0]!).toBeGreaterThanOrEqual(20)
  })
})
