/**
 * A `Response` whose body is a string already in hand. `text()` and `json()` read that string;
 * the web stream a `Response` body otherwise is (on Node 20, building one costs more than
 * routing a call) is made only when something asks for it: `body`, `arrayBuffer()`, `blob()`,
 * `bytes()`, `formData()`. Either way the body can be read once, as with any `Response`.
 *
 * It is a real `Response` (status, headers, `instanceof`), but its own body slot is empty: code
 * that reads bodies through the `Response` methods (every SDK does) sees the text, whereas a
 * runtime that reads the slot natively (Deno, Bun or workerd serving the response) would see no
 * body. So `router.fetch` answers with it only on Node, which has no such reader, and only when
 * the caller handed over the parts of a request, as an SDK's `fetch(url, init)` does, never when
 * a platform passes a `Request` to serve.
 */
export class TextBodyResponse extends Response {
  /** The body until it is read or handed to a stream; `undefined` after. */
  #text: string | undefined
  /** The `Response` that holds the body as a stream, once something asked for one. */
  #streamed: Response | undefined

  constructor(text: string, init: ResponseInit) {
    super(null, init)
    this.#text = text
  }

  /** The body as an ordinary `Response`, made on first need; a body already read is a used one. */
  #streamedBody(): Response {
    if (this.#streamed) return this.#streamed
    const used = this.#text === undefined
    this.#streamed = new Response(this.#text ?? '', { status: this.status, statusText: this.statusText, headers: this.headers })
    this.#text = undefined
    // Read already through `text()` or `json()`: the stream is a disturbed one, as it would be.
    if (used) void this.#streamed.text().catch(() => {})
    return this.#streamed
  }

  #take(): string {
    const text = this.#text
    if (text === undefined) throw new TypeError('Body is unusable: Body has already been read')
    this.#text = undefined
    return text
  }

  override get body(): Response['body'] {
    return this.#streamedBody().body
  }

  override get bodyUsed(): boolean {
    return this.#streamed ? this.#streamed.bodyUsed : this.#text === undefined
  }

  override async text(): Promise<string> {
    return this.#streamed ? this.#streamed.text() : this.#take()
  }

  override async json(): Promise<any> {
    return this.#streamed ? this.#streamed.json() : JSON.parse(this.#take())
  }

  override arrayBuffer(): Promise<ArrayBuffer> {
    return this.#streamedBody().arrayBuffer()
  }

  override blob(): Promise<Blob> {
    return this.#streamedBody().blob()
  }

  override bytes(): ReturnType<Response['bytes']> {
    return this.#streamedBody().bytes()
  }

  override formData(): Promise<FormData> {
    return this.#streamedBody().formData()
  }

  override clone(): Response {
    if (this.#streamed) return this.#streamed.clone()
    if (this.#text === undefined) throw new TypeError('Response.clone: Body has already been consumed.')
    return new TextBodyResponse(this.#text, { status: this.status, statusText: this.statusText, headers: this.headers })
  }
}

/** Node itself: not Bun, Deno, workerd or Vercel's edge runtime, which may offer parts of Node's API. */
export function runsOnNode(): boolean {
  const global = globalThis as { Bun?: unknown; Deno?: unknown; EdgeRuntime?: unknown; navigator?: { userAgent?: string }; process?: { versions?: { node?: unknown } } }
  return (
    global.Bun === undefined &&
    global.Deno === undefined &&
    global.EdgeRuntime === undefined &&
    global.navigator?.userAgent !== 'Cloudflare-Workers' &&
    typeof global.process?.versions?.node === 'string'
  )
}
