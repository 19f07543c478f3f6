/**
 * The client an adapter calls: the ready-made one the user passed, or the official SDK's, built on
 * the first call (so importing or configuring a provider loads no SDK) and then reused. Its
 * `ready` is the client itself once it exists, so a call need not wait a tick for it.
 */
export function lazyClient<Client>(ready: Client | undefined, create: () => Promise<Client>): (() => Promise<Client>) & { readonly ready: Client | undefined } {
  let created: Promise<Client> | undefined
  const getClient = (() => {
    if (ready) return Promise.resolve(ready)
    return (created ??= create().then((client) => {
      getClient.ready = client
      return client
    }))
  }) as (() => Promise<Client>) & { ready: Client | undefined }
  getClient.ready = ready
  return getClient
}
