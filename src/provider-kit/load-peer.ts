import { MissingDependencyError } from '../errors/errors.js'

/**
 * What to throw when an optional peer dependency fails to import: a `MissingDependencyError`
 * naming the package to install when it is not installed, the error itself otherwise.
 */
export function peerImportError(packageName: string, error: unknown): unknown {
  const code = (error as { code?: string }).code
  if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
    return new MissingDependencyError(`The provider SDK "${packageName}" is not installed. Install it with: npm install ${packageName}`, { cause: error })
  }
  return error
}

/**
 * Imports an optional peer dependency the first time a provider needs it, so importing
 * `switchyard` never loads a provider SDK. Bundlers resolve every `import()` they see and fail
 * the build on a package that is not installed, unless the `import()` sits inside a `try`: an
 * adapter meant to be bundled (Workers, edge functions) writes
 * `try { return await import('sdk') } catch (error) { throw peerImportError('sdk', error) }` itself.
 */
export async function loadPeer<Module>(packageName: string, importer: () => Promise<Module>): Promise<Module> {
  try {
    return await importer()
  } catch (error) {
    throw peerImportError(packageName, error)
  }
}
