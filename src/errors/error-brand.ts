/**
 * The brand every Switchyard error carries. `Symbol.for` puts it in the runtime-wide registry, so
 * the ESM and CommonJS builds (two copies of every class when both are loaded) share it.
 */
export const switchyardErrorBrand: unique symbol = Symbol.for('switchyard.error') as never

/** A class in the error hierarchy, identified by a name written out in its source (minifiers keep it). */
export interface BrandedErrorClass {
  readonly errorName: string
}

function ownErrorName(constructor: unknown): string | undefined {
  if (typeof constructor !== 'function' || !Object.hasOwn(constructor, 'errorName')) return undefined
  const name = (constructor as Partial<BrandedErrorClass>).errorName
  return typeof name === 'string' ? name : undefined
}

/**
 * Whether `value` is an error of the class named `errorName` or of a subclass of it, whichever copy
 * of the library created it: the brand is checked, then the declared names along its prototype chain.
 */
export function hasErrorLineage(value: unknown, errorName: string): boolean {
  if (typeof value !== 'object' || value === null || (value as Record<symbol, unknown>)[switchyardErrorBrand] !== true) return false
  for (let prototype = Object.getPrototypeOf(value); prototype !== null; prototype = Object.getPrototypeOf(prototype)) {
    if (Object.hasOwn(prototype, 'constructor') && ownErrorName(prototype.constructor) === errorName) return true
  }
  return false
}

/** The name a class declared for itself, if it did (a user's subclass may not). */
export function declaredErrorName(constructor: unknown): string | undefined {
  return ownErrorName(constructor)
}
