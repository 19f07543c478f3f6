/**
 * Ids for the responses the router makes up: a stream's chunks, an answer a provider gave none.
 * A random part drawn once per router and a counter: unique across processes, as a random id per
 * response would be, at a twentieth of its cost (a UUID per stream was a tenth of the router's
 * own time on a ten-chunk stream). Drawn at the first id, not at `createRouter`: a Worker may
 * create its router in global scope, where random values are not allowed.
 */
export class ResponseIds {
  private base: string | undefined
  private count = 0

  next(): string {
    this.base ??= crypto.randomUUID().replaceAll('-', '').slice(0, 20)
    this.count += 1
    return `chatcmpl-${this.base}${this.count.toString(36)}`
  }
}
