import { ConfigurationError } from '../../errors/errors.js'
import { readEnv } from '../../provider-kit/api-key.js'
import type { ClientConnection } from '../../provider-kit/define-provider.js'
import { hasNodeApis, runtimeName } from '../../provider-kit/runtime-name.js'
import { importSdk } from './google-sdk.js'

/** Gemini on Google Cloud Vertex AI, through the same SDK: `google({ vertexai: { project, location } })`. */
export interface GoogleVertexSettings {
  /** The Google Cloud project id. Default: `GOOGLE_CLOUD_PROJECT`. */
  project?: string
  /** The region (`us-central1`, `europe-west4`, ...) or `global`. Default: `GOOGLE_CLOUD_LOCATION`, then `global`. */
  location?: string
  /**
   * An OAuth access token (or a function returning a fresh one) sent as `Authorization: Bearer`,
   * instead of Application Default Credentials: for runtimes where `google-auth-library` cannot
   * run, or tokens your platform already issues (workload identity federation).
   */
  accessToken?: string | (() => string | Promise<string>)
  /** Options for `google-auth-library`'s `GoogleAuth` (`keyFilename`, `credentials`, `scopes`, ...). Default: Application Default Credentials. */
  googleAuthOptions?: Record<string, unknown>
}

type HttpOptions = (baseURL: string | undefined, headers: Record<string, string> | undefined) => Record<string, unknown>

/**
 * A stand-in for `google-auth-library`'s auth client that only adds the caller's token: the SDK
 * asks its `GoogleAuth` for request headers, and `GoogleAuth` asks the client it was given.
 */
function accessTokenClient(accessToken: NonNullable<GoogleVertexSettings['accessToken']>) {
  return {
    universeDomain: 'googleapis.com',
    async getRequestHeaders() {
      const token = typeof accessToken === 'function' ? await accessToken() : accessToken
      return new Headers({ authorization: `Bearer ${token}` })
    },
  }
}

/**
 * How the Vertex AI client is made and checked: project and location from the settings or
 * `GOOGLE_CLOUD_PROJECT` / `GOOGLE_CLOUD_LOCATION`, credentials from an access token, explicit
 * `googleAuthOptions` or Application Default Credentials.
 */
export function vertexConnection<Client>(provider: string, vertex: GoogleVertexSettings, httpOptions: HttpOptions) {
  const project = vertex.project ?? readEnv('GOOGLE_CLOUD_PROJECT')
  const location = vertex.location ?? readEnv('GOOGLE_CLOUD_LOCATION') ?? 'global'
  const googleAuthOptions = vertex.accessToken ? { ...vertex.googleAuthOptions, authClient: accessTokenClient(vertex.accessToken) } : vertex.googleAuthOptions
  return {
    createClient: ({ baseURL, headers }: ClientConnection) =>
      importSdk().then(
        ({ GoogleGenAI }) =>
          new GoogleGenAI({ vertexai: true, project, location, ...(googleAuthOptions ? { googleAuthOptions } : {}), httpOptions: httpOptions(baseURL, headers) } as never) as unknown as Client,
      ),
    validate() {
      if (!project) {
        throw new ConfigurationError(`${provider}: no Google Cloud project. Set the GOOGLE_CLOUD_PROJECT environment variable or pass google({ vertexai: { project, location } }).`, { provider })
      }
      const explicit = vertex.accessToken !== undefined || vertex.googleAuthOptions !== undefined || readEnv('GOOGLE_APPLICATION_CREDENTIALS') !== undefined
      // Application Default Credentials read files and the metadata server through google-auth-library, which needs Node's APIs.
      if (!explicit && !hasNodeApis()) {
        throw new ConfigurationError(
          `${provider}: no Google Cloud credentials, and Application Default Credentials (google-auth-library) cannot run in ${runtimeName()}. Pass google({ vertexai: { project, location, accessToken } }).`,
          { provider },
        )
      }
    },
  }
}
