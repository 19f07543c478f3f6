import { describe, expect, it } from 'vitest'
import { MissingDependencyError } from '../../src/errors/errors.js'
import { lazyPart, onFirstUse } from '../../src/internal/lazy-part.js'

describe('lazyPart', () => {
  it('imports the module on the first load only, and exposes it once loaded', async () => {
    let imports = 0
    const part = lazyPart('the test part', async () => {
      imports += 1
      return { value: 42 }
    })
    expect(part.loaded).toBeUndefined()
    expect(imports).toBe(0)
    const [first, second] = await Promise.all([part.load(), part.load()])
    expect(first).toBe(second)
    expect(part.loaded).toBe(first)
    await part.load()
    expect(imports).toBe(1)
  })

  it('turns a failed import of a real file into a MissingDependencyError naming the part, and retries on the next load', async () => {
    let fail = true
    const part = lazyPart('router.example', () => (fail ? import('./no-such-chunk.js' as string) : Promise.resolve({ ok: true })))
    const error = await part.load().catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(MissingDependencyError)
    expect((error as MissingDependencyError).code).toBe('missing_dependency')
    expect((error as Error).message).toContain('router.example')
    expect((error as Error).message).toMatch(/reinstall switchyard/)
    expect(((error as Error).cause as { code?: string }).code).toMatch(/MODULE_NOT_FOUND/)
    expect(part.loaded).toBeUndefined()
    fail = false
    await expect(part.load()).resolves.toEqual({ ok: true })
  })
})

describe('onFirstUse', () => {
  it('creates the target once, then calls it directly', async () => {
    let created = 0
    const use = onFirstUse(async () => {
      created += 1
      return { double: (value: number) => Promise.resolve(value * 2) }
    })
    expect(await Promise.all([use((target) => target.double(1)), use((target) => target.double(2))])).toEqual([2, 4])
    expect(await use((target) => target.double(3))).toBe(6)
    expect(created).toBe(1)
  })

  it('passes a failed creation on to the caller and tries again on the next use', async () => {
    let attempts = 0
    const use = onFirstUse(async () => {
      attempts += 1
      if (attempts === 1) throw new MissingDependencyError('could not load')
      return 'ready'
    })
    await expect(use(async (target) => target)).rejects.toBeInstanceOf(MissingDependencyError)
    await expect(use(async (target) => target)).resolves.toBe('ready')
    expect(attempts).toBe(2)
  })
})
