import { hash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { Sha256 } from '../../src/state/sha256.js'

// A fixed pseudo-random sequence, so every run hashes the same texts.
function texts(count: number): string[] {
  let seed = 11
  const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648
  // ASCII, two-, three- and four-byte characters, lone surrogates of both kinds, characters JSON escapes.
  const pieces = ['a', 'Z', ' ', '0', 'é', 'ß', '€', '中', '𝄞', '😀', '\ud800', '\udc00', '"', '\\', '\n', '\t', '\u0001', '\u001f', '\u007f', '\u2028']
  return Array.from({ length: count }, (_, index) => {
    let text = ''
    const length = index < 140 ? index : Math.floor(next() * 400)
    while (text.length < length) text += pieces[Math.floor(next() * pieces.length)]
    return text
  })
}

describe('SHA-256', () => {
  it('gives the published digests (FIPS 180-4 examples)', () => {
    const sha = new Sha256()
    expect(sha.begin().text('abc').hex()).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
    expect(sha.begin().text('').hex()).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
    expect(sha.begin().text('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq').hex()).toBe('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1')
    expect(sha.begin().text('a'.repeat(1_000_000)).hex()).toBe('cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0')
  })

  it('hashes the UTF-8 bytes of any text as node:crypto does, lengths across block boundaries included', () => {
    const sha = new Sha256()
    for (const text of texts(400)) expect(sha.begin().text(text).hex()).toBe(hash('sha256', text, 'hex'))
  })

  it('hashes a string as JSON.stringify writes it, escapes and lone surrogates included', () => {
    const sha = new Sha256()
    for (const text of texts(400)) expect(sha.begin().jsonString(text).hex()).toBe(hash('sha256', JSON.stringify(text), 'hex'))
  })

  it('pieces hash as their concatenation, and a prefix goes before the digest', () => {
    const sha = new Sha256()
    const [first, second, third] = texts(143).slice(-3) as [string, string, string]
    expect(sha.begin().text(first).jsonString(second).text(third).hex('cache:')).toBe(`cache:${hash('sha256', first + JSON.stringify(second) + third, 'hex')}`)
  })
})
