// The ways a remote store operation fails, in a module of their own: the fail-safe wrapper every
// router uses classifies them, and must not bring the Redis store into a bundle that has no Redis.

/** A store operation failed because the store took too long. */
export class StoreTimeoutError extends Error {
  override readonly name = 'StoreTimeoutError'
}

/** A store operation failed before reaching the store (the client is closed or reconnecting). */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError'
}

/** The store replied with something the operation cannot use. */
export class StoreReplyError extends Error {
  override readonly name = 'StoreReplyError'
}
