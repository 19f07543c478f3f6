/** Every item of a stream (chunks of `router.stream()`, events of `adapter.stream()`), in order. */
export async function collect<Item>(stream: AsyncIterable<Item>): Promise<Item[]> {
  const items: Item[] = []
  for await (const item of stream) items.push(item)
  return items
}
