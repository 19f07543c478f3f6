import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const run = promisify(execFile)
const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url))

/** The environment without any provider key, so an example can only reach its mock providers. */
function offlineEnvironment(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !/API_KEY/i.test(name)))
}

/** Runs `examples/<name>.ts` as a user would (`tsx`), in its own process, and returns what it printed. */
async function runExample(name: string): Promise<string> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', `examples/${name}.ts`], {
    cwd: repositoryRoot,
    env: offlineEnvironment(),
    timeout: 60_000,
  })
  return stdout
}

// Only lines that do not depend on timing: cost ranking, fallback on an error, a judge's verdict.
describe.concurrent('examples run offline and show what their comments say', () => {
  it('demo.ts falls back from the rate-limited provider and prints the exact cost', { timeout: 60_000 }, async () => {
    const output = await runExample('demo')
    expect(output).toContain('busy-cloud/large-1 → error (rate_limited, HTTP 429)')
    expect(output).toContain('served by: steady-cloud/small-1 via fallback')
    expect(output).toContain('cost     : $0.00025440 (input $0.00018000, cache read $0.00006000, output $0.00001440)')
    expect(output).toContain('served by: busy-cloud/large-1, first token after')
    expect(output).toContain('(Set OPENAI_API_KEY, ANTHROPIC_API_KEY, GEMINI_API_KEY, MISTRAL_API_KEY or GROQ_API_KEY to add real providers.)')
  })

  it('strategies.ts routes by cost and capability, and the judge promotes the better variant', { timeout: 60_000 }, async () => {
    const output = await runExample('strategies')
    expect(output).toMatch(/^cheap +→ budget\/small +"Paris\."/m)
    expect(output).toMatch(/^cheapTools → quick\/turbo +"Paris, France\."/m)
    expect(output).toMatch(/^best +→ premium\/large +"Paris is the capital of France\."/m)
    expect(output).toContain('promoted: candidate')
  })

  it('custom-strategy.ts measures the cheap model, then prefers the cheapest one within budget', { timeout: 60_000 }, async () => {
    const output = await runExample('custom-strategy')
    expect(output).toMatch(/^call 1: slowcheap\/m "cheap but slow"/m)
    expect(output).toMatch(/^call 2: mid\/m "mid price, quick"/m)
    // Embeddings keep the order given; the slow model is over budget, so the quick one embeds.
    expect(output).toMatch(/^embed: mid\/m, 2 vectors of 8 dimensions$/m)
  })

  it('budgets.ts refuses over budget, moves on to the model that fits, rate-limits a user, cuts a stream at its cap and reports spend by team', { timeout: 60_000 }, async () => {
    const output = await runExample('budgets')
    expect(output).toContain('search call 3: cloud/large $0.0140')
    expect(output).toContain('search call 4: cloud/small $0.0004')
    expect(output).toContain('ads call: cloud/large $0.0140')
    expect(output).toMatch(/^erin call 4: rate limited by "per-user", retry in 6[01] s$/m)
    expect(output).not.toContain('erin call 3')
    expect(output).toMatch(/^story stream cut at the cap: \d+ words kept, cost ~\$0\.0005\d* \(cap \$0\.0005\)$/m)
    expect(output).toContain('  team search: $0.0432 (6 attempts)')
    expect(output).toContain('  team ads: $0.0140 (1 attempts)')
  })

  it('serverless-route.ts answers in both dialects and rejects malformed JSON in Anthropic\'s error shape', { timeout: 60_000 }, async () => {
    const output = await runExample('serverless-route')
    expect(output).toContain('200 You said: "Hello over OpenAI"')
    expect(output).toContain('200 You said: "Hello over Anthropic"')
    expect(output).toMatch(/^400 \{"type":"error","error":\{"type":"invalid_request_error"/m)
  })

  it('ai-sdk.ts runs a multi-step tool call and a stream through a fallback route, with cost per step', { timeout: 60_000 }, async () => {
    const output = await runExample('ai-sdk')
    expect(output).toContain('answer   : It is 21°C and sunny in Paris today.')
    expect(output).toContain('steps    : 2')
    // 50 input and 12 output tokens at $0.15 / $0.60 per million, after the primary failed.
    expect(output).toContain('step 1   : served by backup/small (primary error, backup success), cost $0.00001470')
    expect(output).toContain('streamed : Bonjour from the backup model. (served by backup, cost $0.00000480)')
  })
})
