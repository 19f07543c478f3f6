import { describe, expect, it } from 'vitest'
import { createRouter, mockProvider } from '../../src/index.js'
import { TextBodyResponse } from '../../src/facades/text-body-response.js'

const body = '{"answer":"héllo","n":1}'
const make = () => new TextBodyResponse(body, { status: 200, headers: { 'content-type': 'application/json', 'x-extra': 'yes' } })

describe('TextBodyResponse: a Response whose text body becomes a stream only when asked for', () => {
  it('is a Response with its status and headers; text() and json() read the body once', async () => {
    const response = make()
    expect(response).toBeInstanceOf(Response)
    expect(response.status).toBe(200)
    expect(response.ok).toBe(true)
    expect(response.headers.get('x-extra')).toBe('yes')
    expect(response.bodyUsed).toBe(false)
    expect(await response.json()).toEqual({ answer: 'héllo', n: 1 })
    expect(response.bodyUsed).toBe(true)
    await expect(response.text()).rejects.toThrow(TypeError)
    // Read already: the stream asked for afterwards is a used one, as a read Response's body is.
    expect(response.body).not.toBeNull()
    expect(response.bodyUsed).toBe(true)
  })

  it('body is a readable byte stream of the text (UTF-8), after which text() reads nothing more', async () => {
    const response = make()
    const stream = response.body!
    expect(stream).toBeInstanceOf(ReadableStream)
    expect(response.body).toBe(stream)
    expect(new TextDecoder().decode(await new Response(stream).arrayBuffer())).toBe(body)
    expect(response.bodyUsed).toBe(true)
    await expect(response.text()).rejects.toThrow(TypeError)
  })

  it('arrayBuffer(), blob() and bytes() read the same bytes; clone() is independent', async () => {
    expect(new TextDecoder().decode(await make().arrayBuffer())).toBe(body)
    expect(await (await make().blob()).text()).toBe(body)
    expect(new TextDecoder().decode(await make().bytes())).toBe(body)
    const original = make()
    const copy = original.clone()
    expect(await copy.text()).toBe(body)
    expect(await original.text()).toBe(body)
    expect(() => original.clone()).toThrow(TypeError)
  })
})

describe('router.fetch: which callers get a TextBodyResponse', () => {
  const router = createRouter({ providers: [mockProvider({ id: 'mock', models: { chat: 'Hello there' } })] })
  const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'mock/chat', messages: [{ role: 'user', content: 'Hi' }] }) }

  it('a caller handing over the parts of a request (as an SDK does): the answer reads the same through body as through json()', async () => {
    const viaJson = await router.fetch('http://switchyard.local/v1/chat/completions', init)
    expect(viaJson).toBeInstanceOf(TextBodyResponse)
    expect((await viaJson.json()).choices[0].message.content).toBe('Hello there')
    const viaStream = await router.fetch('http://switchyard.local/v1/chat/completions', init)
    const text = new TextDecoder().decode(await new Response(viaStream.body).arrayBuffer())
    expect(JSON.parse(text).choices[0].message.content).toBe('Hello there')
    expect(viaStream.headers.get('x-switchyard-model')).toBe('mock/chat')
  })

  it('a platform passing a Request gets an ordinary Response, whose body slot the platform reads natively', async () => {
    const response = await router.fetch(new Request('http://switchyard.local/v1/chat/completions', init))
    expect(response).not.toBeInstanceOf(TextBodyResponse)
    expect(response.constructor).toBe(Response)
    expect((await response.json()).choices[0].message.content).toBe('Hello there')
  })
})
