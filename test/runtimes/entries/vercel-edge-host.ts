import handler from '../../../examples/vercel-edge.js'

declare function addEventListener(type: 'fetch', listener: (event: { request: Request; respondWith(response: Promise<Response>): void }) => void): void

// How Vercel serves an Edge Function's default export: each request event goes to the handler.
addEventListener('fetch', (event) => event.respondWith(handler(event.request)))
