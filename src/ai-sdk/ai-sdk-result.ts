import type { JSONObject, LanguageModelV3Content, LanguageModelV3FinishReason, LanguageModelV3Usage, SharedV3ProviderMetadata } from '@ai-sdk/provider'
import type { ChatResult, FinishReason } from '../spec/response.js'
import type { ChatUsage, Usage } from '../spec/usage.js'
import { metadataKey } from './ai-sdk-prompt.js'

export function finishReasonOf(reason: FinishReason | null | undefined): LanguageModelV3FinishReason {
  switch (reason) {
    case 'stop':
      return { unified: 'stop', raw: reason }
    case 'length':
      return { unified: 'length', raw: reason }
    case 'tool_calls':
      return { unified: 'tool-calls', raw: reason }
    case 'content_filter':
      return { unified: 'content-filter', raw: reason }
    default:
      return { unified: 'other', raw: reason ?? undefined }
  }
}

export function usageOf(usage: ChatUsage, tokens: Usage): LanguageModelV3Usage {
  return {
    inputTokens: { total: usage.prompt_tokens, noCache: tokens.inputTokens, cacheRead: tokens.cacheReadTokens, cacheWrite: tokens.cacheWriteTokens },
    outputTokens: { total: usage.completion_tokens, text: usage.completion_tokens - tokens.reasoningTokens, reasoning: tokens.reasoningTokens },
  }
}

/** Plain JSON: drops `undefined`, turns errors into `{ code, message }`. */
function toJson(value: unknown): JSONObject {
  return JSON.parse(
    JSON.stringify(value, (_key, item: unknown) => (item instanceof Error ? { name: item.name, code: (item as { code?: unknown }).code, message: item.message } : item)),
  ) as JSONObject
}

/** The call's cost and route, where the AI SDK carries provider-specific results. */
export function routeMetadata(result: Pick<ChatResult, 'cost' | 'route' | 'provider_metadata'>): SharedV3ProviderMetadata {
  return { [metadataKey]: toJson({ cost: result.cost, route: result.route, ...(result.provider_metadata ? { providerMetadata: result.provider_metadata } : {}) }) }
}

/** Reasoning data the next step must send back (thinking signatures), on the reasoning part. */
export function reasoningMetadata(providerData: Record<string, unknown> | undefined): SharedV3ProviderMetadata | undefined {
  return providerData ? { [metadataKey]: toJson({ providerData }) } : undefined
}

export function contentOf(result: ChatResult): LanguageModelV3Content[] {
  const message = result.choices[0]!.message
  const content: LanguageModelV3Content[] = []
  const reasoning = reasoningMetadata(message.provider_data)
  if (message.reasoning || reasoning) content.push({ type: 'reasoning', text: message.reasoning ?? '', ...(reasoning ? { providerMetadata: reasoning } : {}) })
  const text = message.content ?? ''
  if (text) content.push({ type: 'text', text })
  for (const call of message.tool_calls ?? []) content.push({ type: 'tool-call', toolCallId: call.id, toolName: call.function.name, input: call.function.arguments })
  return content
}
