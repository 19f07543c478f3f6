/**
 * Ids the router makes up: each call's, and those of the responses it makes (a stream's chunks, an
 * answer a provider gave none). A random part drawn once per router and a counter: unique across
 * processes, as a random id per call or response would be, at a twentieth of its cost (a UUID per
 * stream was a tenth of the router's own time on a ten-chunk stream). Drawn at the first id, not
 * at `createRouter`: a Worker may create its router in global scope, where random values are not allowed.
 *
 * The random part comes from `Math.random`, not WebCrypto: these ids need to be unique, not secret,
 * and a Node process's first use of `globalThis.crypto` loads Node's WebCrypto module and fills a
 * UUID buffer, ≈ 0.5–0.7 ms of a cold start's first call that the bare SDK does not spend. Node seeds
 * each process's `Math.random` from OpenSSL's random bytes; two draws give 20 base-36 digits (≈ 100 bits).
 */
export class RouterIds {
  private base: string | undefined
  private count = 0

  /** A call's id (`CallInfo.callId`, the events' `callId`). */
  callId(): string {
    this.base ??= randomDigits() + randomDigits()
    this.count += 1
    return this.base + this.count.toString(36)
  }

  /** A response's id, in OpenAI's shape. */
  responseId(): string {
    return `chatcmpl-${this.callId()}`
  }
}

/** 10 base-36 digits from one draw (a draw may print fewer: padded). */
function randomDigits(): string {
  return Math.random().toString(36).slice(2, 12).padEnd(10, '0')
}
