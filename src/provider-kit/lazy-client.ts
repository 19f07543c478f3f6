/**
 * The client an adapter calls: the ready-made one the user passed, or the official SDK's, built on
 * the first call (so importing or configuring a provider loads no SDK) and then reused.
 */
export function lazyClient<Client>(ready: Client | undefined, create: () => Promise<Client>): () => Promise<Client> {
  let created: Promise<Client> | undefined
  return () => (ready ? Promise.resolve(ready) : (created ??= create()))
}
