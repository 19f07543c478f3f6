/**
 * Ids the router makes up: each call's, and those of the responses it makes (a stream's chunks, an
 * answer a provider gave none). A random part drawn once per router and a counter: unique across
 * processes, as a random id per call or response would be, at a twentieth of its cost (a UUID per
 * stream was a tenth of the router's own time on a ten-chunk stream). Drawn at the first id, not
 * at `createRouter`: a Worker may create its router in global scope, where random values are not allowed.
 */
export class ResponseIds {
  private base: string | undefined
  private count = 0

  /** A call's id (`CallInfo.callId`, the events' `callId`). */
  callId(): string {
    this.base ??= crypto.randomUUID().replaceAll('-', '').slice(0, 20)
    this.count += 1
    return this.base + this.count.toString(36)
  }

  /** A response's id, in OpenAI's shape. */
  next(): string {
    return `chatcmpl-${this.callId()}`
  }
}
