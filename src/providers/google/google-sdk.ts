import { peerImportError } from '../../provider-kit/load-peer.js'

/** The official SDK, imported on first use. */
export async function importSdk(): Promise<typeof import('@google/genai')> {
  // In a try, so bundlers (esbuild under wrangler and Vercel) leave it for run time when it is not installed.
  try {
    return await import('@google/genai')
  } catch (error) {
    throw peerImportError('@google/genai', error)
  }
}
