import type { AssistantMessage } from '../../spec/message.js'
import { isPlainObject } from '../../provider-kit/merge-one-level.js'

/**
 * What a Gemini answer leaves in `message.provider_data.google`, to be sent back with that message
 * on the next turn. Gemini 3 rejects a follow-up whose function calls lost their thought signatures,
 * and thinking models reason worse without them.
 */
export interface GoogleProviderData {
  /** The thought signature of the answer's text (Gemini puts it on the last non-call part). */
  textSignature?: string
  /** The thought signature of each function call, keyed by our tool call id. */
  toolCallSignatures?: Record<string, string>
  /** Tool call ids Gemini assigned itself. Ids the adapter generated are never sent to Gemini. */
  nativeToolCallIds?: string[]
}

const googleProviderDataKey = 'google'

/** Reads the Gemini data of an assistant message, tolerating anything a caller may have stored there. */
export function readGoogleProviderData(message: AssistantMessage): GoogleProviderData {
  const raw = message.provider_data?.[googleProviderDataKey]
  if (!isPlainObject(raw)) return {}
  const data: GoogleProviderData = {}
  if (typeof raw.textSignature === 'string') data.textSignature = raw.textSignature
  if (isPlainObject(raw.toolCallSignatures)) {
    data.toolCallSignatures = Object.fromEntries(
      Object.entries(raw.toolCallSignatures).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
    )
  }
  if (Array.isArray(raw.nativeToolCallIds)) {
    data.nativeToolCallIds = raw.nativeToolCallIds.filter((id): id is string => typeof id === 'string')
  }
  return data
}

/** `provider_data` for a message carrying this data, or `undefined` when there is nothing to carry. */
export function toProviderData(data: GoogleProviderData): Record<string, unknown> | undefined {
  const hasData =
    data.textSignature !== undefined ||
    Object.keys(data.toolCallSignatures ?? {}).length > 0 ||
    (data.nativeToolCallIds?.length ?? 0) > 0
  return hasData ? { [googleProviderDataKey]: data } : undefined
}
