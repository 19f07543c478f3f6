import { describe, expect, it } from 'vitest'
import { estimatePromptTokens, wilsonInterval } from '../../src/index.js'
import { hashToUnit, pickWeighted } from '../../src/strategies/experiment-stats.js'
import { pairwisePrompt, parsePairwiseVerdict, parseRankingVerdict } from '../../src/strategies/judge.js'

describe('wilsonInterval', () => {
  it('matches published 95% Wilson intervals', () => {
    // 5/10 → [0.2366, 0.7634]; 0/10 → [0, 0.2775] (textbook values for z = 1.96).
    expect(wilsonInterval(5, 10)!.lower).toBeCloseTo(0.236593, 6)
    expect(wilsonInterval(5, 10)!.upper).toBeCloseTo(0.763407, 6)
    expect(wilsonInterval(0, 10)!.lower).toBe(0)
    expect(wilsonInterval(0, 10)!.upper).toBeCloseTo(0.277533, 6)
    expect(wilsonInterval(0, 0)).toBeNull()
  })
})

describe('sticky weighted assignment', () => {
  it('hashes a key to the same unit every time and picks by weight', () => {
    expect(hashToUnit('user-1')).toBe(hashToUnit('user-1'))
    expect(hashToUnit('user-1')).not.toBe(hashToUnit('user-2'))
    const weights = [['a', 3], ['b', 1]] as const
    expect(pickWeighted(weights, 0)).toBe('a')
    expect(pickWeighted(weights, 0.749)).toBe('a')
    expect(pickWeighted(weights, 0.75)).toBe('b')
    expect(pickWeighted([['a', 0], ['b', 1]], 0)).toBe('b')
  })
})

describe('estimatePromptTokens', () => {
  it('counts 4 characters a token, 4 a message, 765 an image, and the prefix up to the last cache marker', () => {
    const estimate = estimatePromptTokens({
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'x'.repeat(400), cache_control: { type: 'ephemeral' } }] },
        { role: 'user', content: [{ type: 'text', text: 'abc' }, { type: 'image_url', image_url: { url: 'https://example.com/a.png' } }] },
      ],
    })
    // system 4 + 100 (cached prefix = 104); user 4 + 1 + 765
    expect(estimate).toEqual({ tokens: 874, cachedTokens: 104 })
    expect(estimatePromptTokens({ messages: [{ role: 'user', content: '' }] })).toEqual({ tokens: 4, cachedTokens: 0 })
  })
})

describe('judge prompts and verdicts', () => {
  it('puts the conversation and both answers in the pairwise prompt', () => {
    const prompt = pairwisePrompt('p/j', [{ role: 'user', content: 'Question?' }], 'first', 'second')
    const user = prompt.messages[1]!.content as string
    expect(user).toContain('[user]\nQuestion?')
    expect(user).toContain('<answer_a>\nfirst\n</answer_a>')
    expect(user).toContain('<answer_b>\nsecond\n</answer_b>')
    expect(prompt.temperature).toBe(0)
  })

  it('parses verdicts and rejects unclear ones', () => {
    expect(parsePairwiseVerdict('B')).toBe('B')
    expect(parsePairwiseVerdict('tie.')).toBe('TIE')
    expect(parsePairwiseVerdict('Answer A is better')).toBe('A')
    expect(parsePairwiseVerdict('neither')).toBeNull()
    expect(parseRankingVerdict('Answer 2', 3)).toBe(1)
    expect(parseRankingVerdict('7, then 3', 3)).toBe(2)
    expect(parseRankingVerdict('none', 3)).toBeNull()
  })
})
