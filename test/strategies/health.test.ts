import { describe, expect, it } from 'vitest'
import { createRouter, fallback, fastest, mockProvider, race, type RouterEvent } from '../../src/index.js'
import { coreOf } from '../../src/router/router.js'

const messages = [{ role: 'user' as const, content: 'hi' }]

// One 429 with a long retry-after puts `limited/m` into cool-down for every strategy of the router.
function setup() {
  const limited = mockProvider({ id: 'limited', models: { m: [{ error: 'rate_limit', retryAfterMs: 60_000 }, 'recovered'] } })
  const healthy = mockProvider({ id: 'healthy', models: { m: { text: 'healthy answer', latencyMs: 5 } } })
  const events: RouterEvent[] = []
  const router = createRouter({
    providers: [limited, healthy],
    routes: {
      chain: fallback(['limited/m', 'healthy/m'], { retries: 0 }),
      fast: fastest(['limited/m', 'healthy/m'], { explore: 0, retries: 0 }),
      first: race(['limited/m', 'healthy/m']),
      hedged: race(['limited/m', 'healthy/m'], { mode: 'hedge', hedgeMs: 60_000 }),
    },
    onEvent: (event) => events.push(event),
  })
  return { router, limited, events }
}

describe('shared health', () => {
  it('skips a cooling-down model in every strategy, without failing the call', async () => {
    const { router, limited, events } = setup()
    const first = await router.chat({ model: 'chain', messages })
    expect(first.route.attempts.map((attempt) => [attempt.provider, attempt.outcome])).toEqual([
      ['limited', 'error'],
      ['healthy', 'success'],
    ])
    expect(coreOf(router).health.isCoolingDown('limited/m')).toBe(true)
    for (const route of ['chain', 'fast', 'first', 'hedged'] as const) {
      const result = await router.chat({ model: route, messages })
      expect(result.route.attempts.map((attempt) => attempt.provider)).toEqual(['healthy'])
    }
    // Only the first call reached the rate-limited model.
    expect(limited.calls).toHaveLength(1)
    const skipped = events.filter((event) => event.type === 'candidate-skipped')
    expect(skipped).toHaveLength(4)
    expect(skipped[0]).toEqual({ type: 'candidate-skipped', provider: 'limited', model: 'm', reason: 'cooling-down', routeName: 'chain' })
  })

  it('still tries a cooling-down model when nothing else is left', async () => {
    const { router, limited } = setup()
    await router.chat({ model: 'limited/m', messages }).catch(() => {})
    expect(coreOf(router).health.isCoolingDown('limited/m')).toBe(true)
    const result = await router.chat({ model: 'limited/m', messages })
    expect(result.choices[0]!.message.content).toBe('recovered')
    expect(limited.calls).toHaveLength(2)
    expect(coreOf(router).health.isCoolingDown('limited/m')).toBe(false)
  })
})
