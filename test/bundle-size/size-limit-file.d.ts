// @size-limit/file ships no types: the plugin list size-limit's programmatic interface takes.
declare module '@size-limit/file' {
  const plugin: unknown[]
  export default plugin
}
