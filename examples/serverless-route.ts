/**
 * A serverless route handler (Next.js App Router, Vercel, Netlify, Cloudflare, Deno, Bun: any
 * runtime with `(Request) => Response`) that exposes the router as an OpenAI- and
 * Anthropic-compatible endpoint. Mount it at `app/v1/[...path]/route.ts` and point any OpenAI or
 * Anthropic client at it:
 *
 *   new OpenAI({ baseURL: 'https://your.app/v1', apiKey: 'unused' })
 *   new Anthropic({ baseURL: 'https://your.app', apiKey: 'unused' })
 *
 * Run it directly (`npx tsx examples/serverless-route.ts`) for an offline self-test.
 * Real providers join when OPENAI_API_KEY / ANTHROPIC_API_KEY are set.
 */
import { pathToFileURL } from 'node:url'
import { anthropic, createRouter, mockProvider, openai, type ProviderAdapter } from '../src/index.js'

const providers: ProviderAdapter[] = [mockProvider({ id: 'demo', models: { echo: (request) => `You said: ${JSON.stringify(request.messages.at(-1)?.content)}` } })]
if (process.env.OPENAI_API_KEY) providers.push(openai())
if (process.env.ANTHROPIC_API_KEY) providers.push(anthropic())

export const router = createRouter({
  providers,
  routes: { default: [...(process.env.ANTHROPIC_API_KEY ? ['anthropic/claude-haiku-4-5'] : []), ...(process.env.OPENAI_API_KEY ? ['openai/gpt-4.1-nano'] : []), 'demo/echo'] },
})

// The whole handler: POST /v1/chat/completions, /v1/embeddings, /v1/messages; GET /v1/models.
export const POST = (request: Request) => router.fetch(request)
export const GET = (request: Request) => router.fetch(request)

async function selfTest() {
  const chat = await POST(
    new Request('http://localhost/v1/chat/completions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'default', messages: [{ role: 'user', content: 'Hello over OpenAI' }] }),
    }),
  )
  console.log(chat.status, (await chat.json()).choices[0].message.content)
  const message = await POST(
    new Request('http://localhost/v1/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: 'default', max_tokens: 200, messages: [{ role: 'user', content: 'Hello over Anthropic' }] }),
    }),
  )
  console.log(message.status, (await message.json()).content[0].text)
  const badJson = await POST(new Request('http://localhost/v1/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{oops' }))
  console.log(badJson.status, await badJson.text())
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await selfTest()
