import { describe, expect, it } from 'vitest'
import { ConfigurationError, createRouter, mockProvider } from '../../src/index.js'

const token = 'report-token-0123456789abcdef'
const providers = () => [mockProvider({ id: 'llm', models: { m: 'ok' } })]

describe('the report page through router.fetch', () => {
  it('is off by default: the path is unknown', async () => {
    const router = createRouter({ providers: providers() })
    const response = await router.fetch('/switchyard/report')
    expect(response.status).toBe(404)
  })

  it('cannot be turned on without a token of at least 16 characters', () => {
    expect(() => createRouter({ providers: providers(), reportPage: { path: '/switchyard/report' } as never })).toThrow(ConfigurationError)
    expect(() => createRouter({ providers: providers(), reportPage: { path: '/switchyard/report', token: 'short' } })).toThrow(/at least 16 characters/)
    expect(() => createRouter({ providers: providers(), reportPage: { path: 'report', token } })).toThrow(/path starting with '\/'/)
  })

  it('answers 401 without the token or with a wrong one, the page with it', async () => {
    const router = createRouter({ providers: providers(), prices: { 'llm/m': { input: 1, output: 2 } }, reportPage: { path: '/switchyard/report', token } })
    await router.chat({ model: 'llm/m', messages: [{ role: 'user', content: 'Hi' }] })
    expect((await router.fetch('/switchyard/report')).status).toBe(401)
    // A token in the URL would be written to access logs: it is not accepted, and the answer says so.
    const inUrl = await router.fetch(`/switchyard/report?token=${token}`)
    expect(inUrl.status).toBe(401)
    expect((await inUrl.json()).error.message).toMatch(/no longer takes its token in the URL/)
    const basic = (user: string, password: string) => ({ authorization: `Basic ${btoa(`${user}:${password}`)}` })
    expect((await router.fetch('/switchyard/report', { headers: basic('ops', `${token}x`) })).status).toBe(401)
    expect((await router.fetch('/switchyard/report', { headers: basic(token, '') })).status).toBe(401)
    expect((await router.fetch('/switchyard/report', { headers: { authorization: 'Basic not-base64!' } })).status).toBe(401)
    expect((await router.fetch('/switchyard/report', { headers: basic('anyone', token) })).status).toBe(200)
    const wrongBearer = await router.fetch('/switchyard/report', { headers: { authorization: `Bearer ${token.slice(0, -1)}` } })
    expect(wrongBearer.status).toBe(401)
    expect(wrongBearer.headers.get('www-authenticate')).toContain('Bearer')
    expect(wrongBearer.headers.get('www-authenticate')).toContain('Basic realm="switchyard-report"')

    const page = await router.fetch('/switchyard/report', { headers: { authorization: `Bearer ${token}` } })
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'")
    expect(page.headers.get('cache-control')).toBe('no-store')
    const html = await page.text()
    expect(html).toContain('<svg')
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/)

    const json = await router.fetch('/switchyard/report?format=json', { headers: { authorization: `Bearer ${token}` } })
    const { generatedAt: _generated, ...figures } = await json.json()
    const { generatedAt: _now, ...expected } = router.report()
    expect(figures).toEqual(expected)
    expect((await router.fetch('/switchyard/report', { method: 'POST', headers: { authorization: `Bearer ${token}` } })).status).toBe(405)
  })

  it('leaves the API endpoints as they were', async () => {
    const router = createRouter({ providers: providers(), reportPage: { path: '/switchyard/report', token } })
    const response = await router.fetch('/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'llm/m', messages: [{ role: 'user', content: 'Hi' }] }) })
    expect(response.status).toBe(200)
    expect((await response.json()).choices[0].message.content).toBe('ok')
  })
})
