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

  /** The body as an ordinary `Response` (status and headers copied), made on first need. */
  #streamedBody(): Response {
    if (!this.#streamed) {
      const text = this.#text
      this.#streamed = new Response(text ?? '', this)
      this.#text = undefined
      // Read already through `text()` or `json()`: the stream is a disturbed one, as it would be.
      if (text === undefined) void this.#streamed.text().catch(() => {})
    }
    return this.#streamed
  }

  override get body(): Response['body'] {
    return this.#streamedBody().body
  }

  override get bodyUsed(): boolean {
    return this.#streamed?.bodyUsed ?? this.#text === undefined
  }

  override async text(): Promise<string> {
    const text = this.#text
    // Read already, or handed to a stream: the stream answers (or refuses, once used).
    if (text === undefined || this.#streamed) return this.#streamedBody().text()
    this.#text = undefined
    return text
  }

  override async json(): Promise<any> {
    return JSON.parse(await this.text())
  }

  override clone(): Response {
    return this.#text === undefined || this.#streamed ? this.#streamedBody().clone() : new TextBodyResponse(this.#text, this)
  }

  static {
    // The other ways to read a body read it from the stream.
    for (const method of ['arrayBuffer', 'blob', 'bytes', 'formData'] as const) {
      Object.defineProperty(this.prototype, method, {
        value(this: TextBodyResponse) {
          return this.#streamedBody()[method]()
        },
      })
    }
  }
}

/**
 * Node itself. Bun, Deno, workerd, Vercel's edge runtime and browsers all name themselves in
 * `navigator.userAgent`, which Node has only since version 21 (as `Node.js/…`).
 */
export function runsOnNode(): boolean {
  const global = globalThis as { navigator?: { userAgent?: string }; process?: { versions?: { node?: unknown } } }
  const agent = global.navigator?.userAgent
  return agent === undefined ? typeof global.process?.versions?.node === 'string' : agent.startsWith('Node.js/')
}
