import { MissingDependencyError } from '../errors/errors.js'

/**
 * Imports an optional peer dependency the first time a provider needs it, so importing
 * `switchyard` never loads a provider SDK.
 */
export async function loadPeer<Module>(packageName: string, importer: () => Promise<Module>): Promise<Module> {
  try {
    return await importer()
  } catch (error) {
    const code = (error as { code?: string }).code
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new MissingDependencyError(
        `The provider SDK "${packageName}" is not installed. Install it with: npm install ${packageName}`,
        { cause: error },
      )
    }
    throw error
  }
}
