import { AuthenticationError, ProviderError, RateLimitError, TimeoutError, type SwitchyardError } from '../../errors/errors.js'
import { classifyProviderError, sanitizedCause, type ProviderErrorContext } from '../../provider-kit/classify-provider-error.js'
import { errorFromStatus } from '../../provider-kit/error-from-status.js'
import { redactSecrets } from '../../provider-kit/redact.js'
import { retryAfterFromHeaders, type HeaderSource } from '../../provider-kit/retry-after.js'

/** What an AWS SDK v3 service exception carries: its `name` is the modelled exception's name. */
interface AwsServiceFailure {
  name?: string
  message?: string
  $fault?: 'client' | 'server'
  $metadata?: { httpStatusCode?: number; requestId?: string }
  $response?: { statusCode?: number; headers?: HeaderSource }
}

// Errors that say "too much, slow down": worth waiting for, or another provider.
const rateLimited = new Set(['ThrottlingException', 'ServiceQuotaExceededException'])
// Credentials that are missing, wrong, expired or not allowed to call the model.
const credentialFailures = new Set([
  'AccessDeniedException',
  'UnrecognizedClientException',
  'ExpiredTokenException',
  'InvalidSignatureException',
  'IncompleteSignature',
  'MissingAuthenticationToken',
  'InvalidClientTokenId',
  'CredentialsProviderError',
  'TokenProviderError',
])
// The service or the model failed on its side: another try may well succeed.
const transientFailures = new Set(['InternalServerException', 'ServiceUnavailableException', 'ModelErrorException', 'ModelStreamErrorException', 'ModelNotReadyException'])

/** The HTTP status each exception is modelled with, for exceptions raised inside an event stream (which carry none). */
const modelledStatus: Record<string, number> = {
  ThrottlingException: 429,
  ServiceQuotaExceededException: 400,
  AccessDeniedException: 403,
  ValidationException: 400,
  ResourceNotFoundException: 404,
  ModelTimeoutException: 408,
  ModelNotReadyException: 429,
  ModelErrorException: 424,
  InternalServerException: 500,
  ServiceUnavailableException: 503,
  ModelStreamErrorException: 424,
}

/**
 * Maps an `@aws-sdk/client-bedrock-runtime` exception to the typed hierarchy by its `name` (the
 * modelled exception, stable in minified code) and HTTP status. Anything without a service shape
 * (a connection failure, an abort) goes to the kit's shape classifier.
 */
export function errorFromBedrock(raw: unknown, context: Required<Pick<ProviderErrorContext, 'provider' | 'model' | 'secrets' | 'signal'>>): SwitchyardError | undefined {
  if (typeof raw !== 'object' || raw === null || context.signal.aborted) return undefined
  const failure = raw as AwsServiceFailure
  const name = failure.name ?? ''
  const isService = failure.$metadata !== undefined || failure.$fault !== undefined
  if (!isService && !credentialFailures.has(name)) return undefined
  const { provider, model, secrets } = context
  const status = failure.$metadata?.httpStatusCode ?? failure.$response?.statusCode ?? modelledStatus[name]
  const text = redactSecrets(failure.message || name || 'request failed', secrets)
  const message = `${provider}/${model}: ${name ? `${name}: ` : ''}${text}${status ? ` (HTTP ${status})` : ''}`
  const cause = sanitizedCause(raw, secrets)
  const retryAfterMs = retryAfterFromHeaders(failure.$response?.headers)
  const details = { provider, model, status, cause, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) }

  if (rateLimited.has(name)) return new RateLimitError(message, { ...details, retryable: true })
  if (credentialFailures.has(name)) return new AuthenticationError(message, { ...details, retryable: false })
  if (name === 'ModelTimeoutException') return new TimeoutError(message, { ...details, retryable: true })
  if (transientFailures.has(name)) return new ProviderError(message, { ...details, retryable: true })
  if (status !== undefined) return errorFromStatus({ provider, model, status, message: `${name ? `${name}: ` : ''}${text}`, providerCode: name, retryAfterMs, cause })
  return classifyProviderError(raw, context)
}
