/** The request without `model`: what strategies, hooks and adapters work from. */
export function parametersOf<Request extends { model?: unknown }>(request: Request): Omit<Request, 'model'> {
  const { model: _model, ...parameters } = request
  return parameters
}
