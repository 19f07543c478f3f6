/**
 * `switchyard/ai-sdk`: routes and models of a Switchyard router as Vercel AI SDK language models.
 *
 * ```ts
 * import { generateText } from 'ai'
 * import { createSwitchyardProvider } from 'switchyard/ai-sdk'
 *
 * const switchyard = createSwitchyardProvider(router)
 * const { text, providerMetadata } = await generateText({ model: switchyard('default'), prompt: 'Hello' })
 * providerMetadata?.switchyard?.cost // what the call cost, with its route
 * ```
 *
 * Only types come from `@ai-sdk/provider`: importing this entry loads nothing from the AI SDK.
 */
import type { LanguageModelV3 } from '@ai-sdk/provider'
import { SwitchyardLanguageModel, type AiSdkRouter } from './ai-sdk-language-model.js'

export { SwitchyardLanguageModel, type AiSdkRouter } from './ai-sdk-language-model.js'
export type { SwitchyardCallOptions } from './ai-sdk-prompt.js'

/** Call it with a route name, a `provider/model` id or an array of ids (an ad-hoc fallback chain). */
export interface SwitchyardProvider {
  (model: string | string[]): LanguageModelV3
  languageModel(model: string | string[]): LanguageModelV3
}

export function createSwitchyardProvider(router: AiSdkRouter): SwitchyardProvider {
  const languageModel = (model: string | string[]) => new SwitchyardLanguageModel(router, model)
  return Object.assign((model: string | string[]) => languageModel(model), { languageModel })
}
