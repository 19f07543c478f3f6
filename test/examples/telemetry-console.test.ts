import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const run = promisify(execFile)
const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url))

describe('examples/telemetry-console.ts', () => {
  it('prints the span tree and the GenAI metrics through the console exporters', { timeout: 60_000 }, async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'examples/telemetry-console.ts'], { cwd: repositoryRoot, timeout: 60_000 })
    expect(stdout).toMatch(/^answer: Paris\. \(steady-cloud\/small-1, \$0\.0000054\d*\)$/m)
    // One span per attempt and one per call, each printed by the console exporter with its parent.
    const spanIds = (name: string) => [...stdout.matchAll(new RegExp(`name: '${name}',\\s+id: '([0-9a-f]{16})'`, 'g'))].map((match) => match[1])
    expect(spanIds('chat large-1')).toHaveLength(1)
    expect(spanIds('chat small-1')).toHaveLength(1)
    const [callId] = spanIds('chat main')
    const [applicationId] = spanIds('answer question')
    expect(callId).toBeDefined()
    expect(applicationId).toBeDefined()
    expect(stdout).toContain(`spanId: '${callId}'`)
    expect(stdout).toContain(`spanId: '${applicationId}'`)
    expect(stdout).toContain("'gen_ai.provider.name': 'steady-cloud'")
    expect(stdout).toContain("'error.type': 'rate_limited'")
    expect(stdout).toContain("'switchyard.tag.team': 'search'")
    for (const metric of ['gen_ai.client.token.usage', 'gen_ai.client.operation.duration', 'switchyard.client.cost']) expect(stdout).toContain(`name: '${metric}'`)
  })
})
