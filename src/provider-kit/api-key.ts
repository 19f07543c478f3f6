import { ConfigurationError } from '../errors/errors.js'

/** Reads an environment variable where one exists (Node, Bun, Deno's process shim); edge runtimes have none. */
export function readEnv(name: string): string | undefined {
  const value = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name]
  return value === '' ? undefined : value
}

/** Fails at `createRouter()` when a provider has no key, naming the variable it was read from. */
export function requireApiKey(provider: string, apiKey: string | undefined, envVar: string, factory: string): void {
  if (apiKey) return
  throw new ConfigurationError(
    `${provider}: no API key. Set the ${envVar} environment variable or pass ${factory}({ apiKey }).`,
    { provider },
  )
}
