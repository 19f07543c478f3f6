/** Every item of a stream (chunks of `router.stream()`, events of `adapter.stream()`), in order. */
export async function collect<Item>(stream: AsyncIterable<Item>): Promise<Item[]> {
  const items: Item[] = []
  for await (const item of stream) items.push(item)
  return items
}

/** Every chunk of a `router.stream()` call, then the final result it assembles. */
export async function collectWithResult<Chunk, Result>(stream: AsyncIterable<Chunk> & { finalResult(): Promise<Result> }): Promise<{ chunks: Chunk[]; result: Result }> {
  const chunks = await collect(stream)
  const result = await stream.finalResult()
  return { chunks, result }
}
