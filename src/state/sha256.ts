/**
 * SHA-256 (FIPS 180-4), fed text piece by piece and hashing its UTF-8 bytes as they come, so a
 * cache key is hashed while its JSON is written, without the JSON text ever being built.
 *
 * Written here rather than taken from `node:crypto` or Web Crypto: the response cache hashes one
 * short key per call, right after the network work of the call before it has pushed the router's
 * code out of the processor's caches, and there Node's one-shot hash of the finished text cost
 * more than this loop run straight over the request (figures in docs/caching-and-shared-state.md).
 * It is synchronous on every runtime (Web Crypto's digest is not), and needs no buffer larger than
 * one 64-byte block however long the conversation.
 */

// The first 32 bits of the fractional parts of the cube roots of the first 64 primes (FIPS 180-4, 4.2.2).
const roundConstants = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
  0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
])

// The first 32 bits of the fractional parts of the square roots of the first 8 primes (FIPS 180-4, 5.3.3).
const initialState = new Int32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19])

/** Two lowercase hex digits for each byte value. */
const hexPairs: readonly string[] = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'))

/** How JSON.stringify writes the control characters it gives a short escape. */
const shortEscapes: Readonly<Record<number, number>> = { 0x08: 0x62, 0x09: 0x74, 0x0a: 0x6e, 0x0c: 0x66, 0x0d: 0x72 }

/**
 * One running hash; its owner (the response cache makes its own) reuses it from key to key:
 * `begin()`, then `text()` and `jsonString()` pieces, then `hex()`.
 */
export class Sha256 {
  private readonly state = new Int32Array(8)
  /** The block being filled, as bytes. */
  private readonly block = new Uint8Array(64)
  /** The message schedule of the block being compressed. */
  private readonly schedule = new Int32Array(64)
  private filled = 0
  /** Blocks compressed so far. */
  private blocks = 0

  begin(): this {
    for (let word = 0; word < 8; word++) this.state[word] = initialState[word]!
    this.filled = 0
    this.blocks = 0
    return this
  }

  /** Adds the text's UTF-8 bytes (a lone surrogate as U+FFFD, as `TextEncoder` writes it). */
  text(text: string): this {
    const block = this.block
    for (let index = 0; index < text.length; index++) {
      const code = text.charCodeAt(index)
      if (code >= 0x80) {
        index = this.wide(text, index, code, false)
        continue
      }
      block[this.filled] = code
      if (++this.filled === 64) this.compress()
    }
    return this
  }

  /**
   * Adds the text as a JSON string, byte for byte as `JSON.stringify(text)` writes it: quoted, with
   * `"` and `\` escaped, control characters and lone surrogates as escapes, everything else as is.
   */
  jsonString(text: string): this {
    const block = this.block
    this.byte(0x22)
    for (let index = 0; index < text.length; index++) {
      const code = text.charCodeAt(index)
      if (code >= 0x20 && code < 0x80 && code !== 0x22 && code !== 0x5c) {
        block[this.filled] = code
        if (++this.filled === 64) this.compress()
      } else if (code === 0x22 || code === 0x5c) {
        this.byte(0x5c)
        this.byte(code)
      } else if (code < 0x20) {
        this.byte(0x5c)
        const short = shortEscapes[code]
        if (short !== undefined) this.byte(short)
        else this.unicodeEscape(code)
      } else index = this.wide(text, index, code, true)
    }
    this.byte(0x22)
    return this
  }

  /** Ends the hash: its 64 lowercase hex digits, after `prefix`. */
  hex(prefix = ''): string {
    const bits = (this.blocks * 64 + this.filled) * 8
    // Padding: a 1 bit, zeros up to 56 bytes into a block, then the length in bits, 64-bit big-endian.
    this.byte(0x80)
    while (this.filled !== 56) this.byte(0)
    const high = Math.floor(bits / 0x1_0000_0000)
    const low = bits >>> 0
    this.byte(high >>> 24)
    this.byte((high >>> 16) & 0xff)
    this.byte((high >>> 8) & 0xff)
    this.byte(high & 0xff)
    this.byte(low >>> 24)
    this.byte((low >>> 16) & 0xff)
    this.byte((low >>> 8) & 0xff)
    this.byte(low & 0xff)
    let digest = prefix
    for (let word = 0; word < 8; word++) {
      const value = this.state[word]!
      digest += hexPairs[value >>> 24]! + hexPairs[(value >>> 16) & 0xff]! + hexPairs[(value >>> 8) & 0xff]! + hexPairs[value & 0xff]!
    }
    return digest
  }

  /**
   * The UTF-8 bytes of the character at `index` (not ASCII); a surrogate pair is one character.
   * Returns the index of its last UTF-16 unit. A lone surrogate is U+FFFD, or in a JSON string the
   * escape JSON.stringify writes for it.
   */
  private wide(text: string, index: number, code: number, inJson: boolean): number {
    if (code < 0x800) {
      this.byte(0xc0 | (code >> 6))
      this.byte(0x80 | (code & 0x3f))
      return index
    }
    if (code >= 0xd800 && code <= 0xdfff) {
      const next = index + 1 < text.length ? text.charCodeAt(index + 1) : 0
      if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        const point = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00)
        this.byte(0xf0 | (point >> 18))
        this.byte(0x80 | ((point >> 12) & 0x3f))
        this.byte(0x80 | ((point >> 6) & 0x3f))
        this.byte(0x80 | (point & 0x3f))
        return index + 1
      }
      if (inJson) {
        this.byte(0x5c)
        this.unicodeEscape(code)
        return index
      }
      code = 0xfffd
    }
    this.byte(0xe0 | (code >> 12))
    this.byte(0x80 | ((code >> 6) & 0x3f))
    this.byte(0x80 | (code & 0x3f))
    return index
  }

  /** `u` and four lowercase hex digits (the backslash is written by the caller). */
  private unicodeEscape(code: number): void {
    this.byte(0x75)
    const digits = hexPairs[code >> 8]! + hexPairs[code & 0xff]!
    for (let digit = 0; digit < 4; digit++) this.byte(digits.charCodeAt(digit))
  }

  private byte(value: number): void {
    this.block[this.filled] = value
    if (++this.filled === 64) this.compress()
  }

  /** Hashes the full block, which is then empty. */
  private compress(): void {
    this.filled = 0
    this.blocks += 1
    const block = this.block
    const schedule = this.schedule
    const state = this.state
    for (let word = 0; word < 16; word++) {
      const at = word * 4
      schedule[word] = (block[at]! << 24) | (block[at + 1]! << 16) | (block[at + 2]! << 8) | block[at + 3]!
    }
    for (let word = 16; word < 64; word++) {
      const early = schedule[word - 15]!
      const late = schedule[word - 2]!
      const sigma0 = ((early >>> 7) | (early << 25)) ^ ((early >>> 18) | (early << 14)) ^ (early >>> 3)
      const sigma1 = ((late >>> 17) | (late << 15)) ^ ((late >>> 19) | (late << 13)) ^ (late >>> 10)
      schedule[word] = (schedule[word - 16]! + sigma0 + schedule[word - 7]! + sigma1) | 0
    }
    let a = state[0]!
    let b = state[1]!
    let c = state[2]!
    let d = state[3]!
    let e = state[4]!
    let f = state[5]!
    let g = state[6]!
    let h = state[7]!
    for (let round = 0; round < 64; round++) {
      const sum1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))
      const choice = (e & f) ^ (~e & g)
      const first = (h + sum1 + choice + roundConstants[round]! + schedule[round]!) | 0
      const sum0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))
      const majority = (a & b) ^ (a & c) ^ (b & c)
      const second = (sum0 + majority) | 0
      h = g
      g = f
      f = e
      e = (d + first) | 0
      d = c
      c = b
      b = a
      a = (first + second) | 0
    }
    state[0] = (state[0]! + a) | 0
    state[1] = (state[1]! + b) | 0
    state[2] = (state[2]! + c) | 0
    state[3] = (state[3]! + d) | 0
    state[4] = (state[4]! + e) | 0
    state[5] = (state[5]! + f) | 0
    state[6] = (state[6]! + g) | 0
    state[7] = (state[7]! + h) | 0
  }
}
