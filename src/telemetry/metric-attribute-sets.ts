import type { Attributes } from '@opentelemetry/api'
import type { CallInfo } from '../router/call-hooks.js'
import { errorType, genAi, switchyard } from './semantic-attributes.js'

/** The attribute sets an attempt's metrics are recorded with: all of them, and the token-usage ones per token type. */
export interface AttemptMetricAttributes {
  readonly all: Attributes
  readonly input: Attributes
  readonly output: Attributes
}

/** Distinct sets kept; beyond it the sets are made afresh (a router that sees endless model names). */
const maxSets = 1_000

/**
 * Metric attributes are the dimensions worth aggregating by, so a router records with the same few
 * sets over and over: each is made once, frozen (the SDK keeps the first one it sees of each as
 * the key of its aggregation) and handed out again, rather than built for every record.
 */
export class MetricAttributeSets {
  private readonly sets = new Map<string, AttemptMetricAttributes>()
  /** The set handed out last and what it was made of: a run of calls to one model needs no key built. */
  private last: { readonly inputs: readonly unknown[]; readonly made: AttemptMetricAttributes } | undefined

  /** The call's own dimensions: operation, strategy, route and, for a side call, its kind. */
  forCall(call: CallInfo, operationName: string): Attributes {
    const attributes: Attributes = { [genAi.operationName]: operationName, [switchyard.strategy]: call.strategy }
    if (call.routeName !== null) attributes[switchyard.route] = call.routeName
    if (call.kind !== 'call') attributes[switchyard.callKind] = call.kind
    return attributes
  }

  /** An attempt's: the call's, the provider and model asked and answering, and the error type when it failed. */
  forAttempt(call: CallInfo, operationName: string, provider: string, requestModel: string, responseModel: string | undefined, error: string | undefined): AttemptMetricAttributes {
    const last = this.last
    if (last) {
      const inputs = last.inputs
      if (
        inputs[0] === operationName && inputs[1] === call.strategy && inputs[2] === call.routeName && inputs[3] === call.kind &&
        inputs[4] === provider && inputs[5] === requestModel && inputs[6] === responseModel && inputs[7] === error
      ) {
        return last.made
      }
    }
    const made = this.lookUp(call, operationName, provider, requestModel, responseModel, error)
    this.last = { inputs: [operationName, call.strategy, call.routeName, call.kind, provider, requestModel, responseModel, error], made }
    return made
  }

  private lookUp(call: CallInfo, operationName: string, provider: string, requestModel: string, responseModel: string | undefined, error: string | undefined): AttemptMetricAttributes {
    const key = `${operationName}\u0000${call.strategy}\u0000${call.routeName ?? '\u0001'}\u0000${call.kind}\u0000${provider}\u0000${requestModel}\u0000${responseModel ?? '\u0001'}\u0000${error ?? '\u0001'}`
    const known = this.sets.get(key)
    if (known) return known
    const all = this.forCall(call, operationName)
    all[genAi.providerName] = provider
    all[genAi.requestModel] = requestModel
    if (responseModel !== undefined) all[genAi.responseModel] = responseModel
    if (error !== undefined) all[errorType] = error
    const made: AttemptMetricAttributes = {
      all: Object.freeze(all),
      input: Object.freeze({ ...all, [genAi.tokenType]: 'input' }),
      output: Object.freeze({ ...all, [genAi.tokenType]: 'output' }),
    }
    if (this.sets.size < maxSets) this.sets.set(key, made)
    return made
  }
}
