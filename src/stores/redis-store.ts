import { ConfigurationError } from '../errors/errors.js'
import type { Store, StoreScript, StoreWriteOptions } from '../spec/store.js'
import { StoreReplyError, StoreTimeoutError, StoreUnavailableError } from './store-errors.js'

/**
 * The parts of a node-redis (v4, v5 and later) client this store uses. Structural, so that our
 * package never imports `redis`: the user creates, connects and owns the client.
 */
export interface NodeRedisClientLike {
  sendCommand(args: string[]): Promise<unknown>
  readonly isOpen?: boolean
  readonly isReady?: boolean
  on?(event: 'error', listener: (error: unknown) => void): unknown
  listenerCount?(event: 'error'): number
}

/** The parts of an ioredis (v5 and later) client this store uses. */
export interface IORedisClientLike {
  call(command: string, ...args: (string | number)[]): Promise<unknown>
  readonly status?: string
  on?(event: 'error', listener: (error: unknown) => void): unknown
  listenerCount?(event: 'error'): number
}

export type RedisClientLike = NodeRedisClientLike | IORedisClientLike

export interface RedisStoreOptions {
  /** A connected `redis` (node-redis) or `ioredis` client; the router never closes it. */
  client: RedisClientLike
  /** Put before every key, so several routers or applications share one Redis. Default `switchyard:`. */
  prefix?: string
  /**
   * Longest wait for one operation, in ms; past it the operation fails and the router goes on with
   * local state. Default 250.
   */
  timeoutMs?: number
}

export { StoreReplyError, StoreTimeoutError, StoreUnavailableError }

type SendCommand = (command: string, args: (string | number)[]) => Promise<unknown>

// INCRBYFLOAT never sets an expiry; a key this call creates gets `ttlMs`, atomically.
const incrementScript = `local existed = redis.call('EXISTS', KEYS[1])
local value = redis.call('INCRBYFLOAT', KEYS[1], ARGV[1])
if existed == 0 and tonumber(ARGV[2]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return value`

function isIORedis(client: RedisClientLike): client is IORedisClientLike {
  return typeof (client as IORedisClientLike).call === 'function'
}

function isNodeRedis(client: RedisClientLike): client is NodeRedisClientLike {
  return typeof (client as NodeRedisClientLike).sendCommand === 'function'
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

async function sha1Hex(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-1', new TextEncoder().encode(text))
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('')
}

function ttlArgument(options: StoreWriteOptions | undefined): number | undefined {
  const ttlMs = options?.ttlMs
  return ttlMs !== undefined && Number.isFinite(ttlMs) && ttlMs > 0 ? Math.ceil(ttlMs) : undefined
}

/**
 * A store on the user's Redis, shared by every router that uses the same Redis and prefix.
 * Each operation is one round trip (scripts by `EVALSHA`, with `EVAL` when the server has not seen
 * the script yet, e.g. after a restart) with a short timeout. A closed or reconnecting client fails
 * at once instead of queueing, so an outage costs the router nothing but local state.
 */
export class RedisStore implements Store {
  readonly specificationVersion = 'v1' as const
  readonly kind = 'redis'
  readonly prefix: string
  readonly timeoutMs: number
  private readonly send: SendCommand
  private readonly ready: () => string | undefined
  private readonly scriptHashes = new Map<string, Promise<string>>()

  constructor(options: RedisStoreOptions) {
    const client = options?.client
    if (!client || typeof client !== 'object') {
      throw new ConfigurationError('redisStore: `client` is required: a connected `redis` (node-redis) or `ioredis` client.')
    }
    const prefix = options.prefix ?? 'switchyard:'
    if (typeof prefix !== 'string') throw new ConfigurationError('redisStore: `prefix` must be a string.')
    const timeoutMs = options.timeoutMs ?? 250
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new ConfigurationError('redisStore: `timeoutMs` must be a positive number of milliseconds.')
    this.prefix = prefix
    this.timeoutMs = timeoutMs
    if (isIORedis(client)) {
      this.send = (command, args) => client.call(command, ...args)
      this.ready = () => {
        const status = client.status
        return status === 'end' || status === 'close' || status === 'reconnecting' ? `the ioredis client is ${status}` : undefined
      }
    } else if (isNodeRedis(client)) {
      this.send = (command, args) => client.sendCommand([command, ...args.map(String)])
      this.ready = () => {
        if (client.isOpen === false) return 'the redis client is not connected (call `await client.connect()`)'
        if (client.isReady === false) return 'the redis client is reconnecting'
        return undefined
      }
    } else {
      throw new ConfigurationError('redisStore: `client` must be a `redis` (node-redis v4+) client or an `ioredis` client: it has neither `sendCommand` nor `call`.')
    }
    // An 'error' event nobody listens to ends the process when Redis goes away; the router treats
    // Redis as optional, so losing it must never be fatal. Operations report errors themselves.
    if (client.listenerCount?.('error') === 0) client.on?.('error', () => {})
  }

  async get(key: string): Promise<string | undefined> {
    const reply = await this.command('GET', [this.key(key)])
    if (reply === null || reply === undefined) return undefined
    if (typeof reply !== 'string') throw new StoreReplyError(`Redis GET returned ${typeof reply}, not a string.`)
    return reply
  }

  async set(key: string, value: string, options?: StoreWriteOptions): Promise<void> {
    const ttl = ttlArgument(options)
    await this.command('SET', ttl === undefined ? [this.key(key), value] : [this.key(key), value, 'PX', ttl])
  }

  async setIfAbsent(key: string, value: string, options?: StoreWriteOptions): Promise<boolean> {
    const ttl = ttlArgument(options)
    const reply = await this.command('SET', ttl === undefined ? [this.key(key), value, 'NX'] : [this.key(key), value, 'PX', ttl, 'NX'])
    return reply === 'OK'
  }

  async delete(key: string): Promise<void> {
    await this.command('DEL', [this.key(key)])
  }

  async increment(key: string, by: number, options?: StoreWriteOptions): Promise<number> {
    if (!Number.isFinite(by)) throw new TypeError('redisStore: increment needs a finite number.')
    const reply = await this.evaluate(incrementScript, [this.key(key)], [by, ttlArgument(options) ?? 0])
    const value = typeof reply === 'number' ? reply : typeof reply === 'string' ? Number(reply) : Number.NaN
    if (!Number.isFinite(value)) throw new StoreReplyError('Redis INCRBYFLOAT returned something that is not a number.')
    return value
  }

  async run<Result>(script: StoreScript<Result>, keys: readonly string[], args: readonly (string | number)[]): Promise<Result> {
    const reply = await this.evaluate(script.lua, keys.map((key) => this.key(key)), args)
    return script.parse(reply)
  }

  private key(key: string): string {
    return this.prefix + key
  }

  private async evaluate(lua: string, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    let hash = this.scriptHashes.get(lua)
    if (!hash) {
      hash = sha1Hex(lua)
      this.scriptHashes.set(lua, hash)
    }
    const tail = [keys.length, ...keys, ...args]
    try {
      return await this.command('EVALSHA', [await hash, ...tail])
    } catch (error) {
      // The server's script cache is empty after a restart or a SCRIPT FLUSH: send the body once,
      // which also caches it there for the next EVALSHA.
      if (!/NOSCRIPT/i.test(errorMessage(error))) throw error
      return this.command('EVAL', [lua, ...tail])
    }
  }

  private command(command: string, args: (string | number)[]): Promise<unknown> {
    const notReady = this.ready()
    if (notReady) return Promise.reject(new StoreUnavailableError(`Redis ${command} not sent: ${notReady}.`))
    return new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => reject(new StoreTimeoutError(`Redis ${command} took longer than ${this.timeoutMs} ms.`)), this.timeoutMs)
      let sent: Promise<unknown>
      try {
        sent = this.send(command, args)
      } catch (error) {
        clearTimeout(timer)
        reject(error)
        return
      }
      sent.then(
        (reply) => {
          clearTimeout(timer)
          resolve(reply)
        },
        (error: unknown) => {
          clearTimeout(timer)
          reject(error)
        },
      )
    })
  }
}

/**
 * A store on Redis through the user's own client: `redisStore({ client })` with a connected
 * `createClient()` from `redis`, or `new Redis()` from `ioredis`. See {@link RedisStoreOptions}.
 */
export function redisStore(options: RedisStoreOptions): RedisStore {
  return new RedisStore(options)
}
