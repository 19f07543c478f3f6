// The report page's answer (the token check, the HTML or JSON), imported at the page's first request.
import type { ReportPageOptions } from './report-page.js'
import type { RouterReport } from './report-types.js'

/** Compares in time that depends on the lengths only, so the token cannot be guessed byte by byte from timing. */
function sameToken(given: string, expected: string): boolean {
  const encoder = new TextEncoder()
  const left = encoder.encode(given)
  const right = encoder.encode(expected)
  let difference = left.length ^ right.length
  for (let index = 0; index < right.length; index += 1) difference |= (left[index] ?? 0) ^ right[index]!
  return difference === 0
}

/** The token from `Authorization: Bearer <token>`, or the password of `Authorization: Basic` (what a browser's prompt sends). */
function presentedToken(request: Request): string | undefined {
  const authorization = request.headers.get('authorization')
  if (!authorization) return undefined
  const scheme = authorization.slice(0, authorization.indexOf(' ')).toLowerCase()
  const credentials = authorization.slice(authorization.indexOf(' ') + 1).trim()
  if (scheme === 'bearer') return credentials
  if (scheme !== 'basic') return undefined
  let decoded: string
  try {
    decoded = new TextDecoder().decode(Uint8Array.from(atob(credentials), (character) => character.charCodeAt(0)))
  } catch {
    return undefined
  }
  const colon = decoded.indexOf(':')
  return colon >= 0 ? decoded.slice(colon + 1) : undefined
}

const pageHeaders = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
}

/** Answers a request for the report page: 401 without the token, the HTML page, or JSON with `?format=json`. */
export async function serveReportPage(request: Request, page: ReportPageOptions, report: () => RouterReport | Promise<RouterReport>): Promise<Response> {
  const url = new URL(request.url)
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return new Response(JSON.stringify({ error: { message: `${request.method} is not allowed on ${url.pathname}; use GET.` } }), { status: 405, headers: { allow: 'GET, HEAD', 'content-type': 'application/json' } })
  }
  const token = presentedToken(request)
  if (token === undefined || !sameToken(token, page.token)) {
    const message = url.searchParams.has('token')
      ? 'The report no longer takes its token in the URL (it would be written to access logs): send Authorization: Bearer <token>, or let the browser ask for it (the token is the password).'
      : 'The report needs its token: send Authorization: Bearer <token>, or let the browser ask for it (any user name, the token as the password).'
    const headers = new Headers({ 'content-type': 'application/json', ...pageHeaders })
    // Basic makes a browser show its password prompt; Bearer is for scripts.
    headers.append('www-authenticate', 'Basic realm="switchyard-report", charset="UTF-8"')
    headers.append('www-authenticate', 'Bearer realm="switchyard-report"')
    return new Response(JSON.stringify({ error: { message } }), { status: 401, headers })
  }
  const figures = await report()
  if (url.searchParams.get('format') === 'json' || request.headers.get('accept')?.startsWith('application/json')) {
    return new Response(JSON.stringify(figures), { status: 200, headers: { 'content-type': 'application/json', ...pageHeaders } })
  }
  // The page is static markup: this policy proves it loads nothing and runs nothing.
  const { renderReportHtml } = await import('./report-html.js')
  return new Response(renderReportHtml(figures, page.title), {
    status: 200,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
      ...pageHeaders,
    },
  })
}
