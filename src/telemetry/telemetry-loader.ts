import { MissingDependencyError } from '../errors/errors.js'
import type { AttemptInfo, CacheHitInfo, CallInfo, CallObserver, CallOutcome } from '../router/call-hooks.js'
import type { ChatParameters } from '../spec/request.js'
import type { Attempt, ModelResponse } from '../spec/response.js'
import type { OpenTelemetryModule, OpenTelemetryObserver } from './open-telemetry-observer.js'
import type { TelemetrySettings } from './telemetry-options.js'

const instrumentationName = 'switchyard'

async function loadOpenTelemetryApi(): Promise<OpenTelemetryModule> {
  try {
    return await import('@opentelemetry/api')
  } catch (error) {
    const code = (error as { code?: string }).code
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new MissingDependencyError(
        'createRouter({ telemetry }) needs the OpenTelemetry API package "@opentelemetry/api". Install it with: npm install @opentelemetry/api',
        { cause: error },
      )
    }
    throw error
  }
}

/**
 * The router's telemetry observer. Importing Switchyard loads nothing of OpenTelemetry: the API
 * package and the span and metric code load the first time a call runs with telemetry on (the
 * router awaits `ready()` before that call starts), and never when telemetry is off.
 */
export class TelemetryLoader implements CallObserver {
  private observer: OpenTelemetryObserver | undefined
  private api: OpenTelemetryModule | undefined
  private loading: Promise<void> | undefined

  constructor(private readonly settings: TelemetrySettings) {}

  /** `undefined` once loaded, so calls after the first pay nothing for it. */
  ready(): Promise<void> | undefined {
    if (this.observer) return undefined
    this.loading ??= this.load()
    return this.loading
  }

  private async load(): Promise<void> {
    try {
      const [api, { OpenTelemetryObserver }] = await Promise.all([loadOpenTelemetryApi(), import('./open-telemetry-observer.js')])
      const tracer = this.settings.tracer ?? api.trace.getTracer(instrumentationName)
      const meter = this.settings.meter ?? api.metrics.getMeter(instrumentationName)
      this.api = api
      this.observer = new OpenTelemetryObserver(api, tracer, meter, this.settings.captureContent === true)
    } catch (error) {
      // The next call tries again (the package may have been installed meanwhile); this one fails clearly.
      this.loading = undefined
      throw error
    }
  }

  /** Runs `run` inside the trace context an incoming request carries (`router.fetch`). */
  async withIncomingRequest<Result>(headers: Headers, run: () => Promise<Result>): Promise<Result> {
    await this.ready()
    const api = this.api!
    const { incomingTraceContext } = await import('./incoming-trace-context.js')
    return api.context.with(incomingTraceContext(api, headers), run)
  }

  callStart(call: CallInfo, request: Readonly<ChatParameters> | Readonly<{ input: string[] }>): void {
    this.observer?.callStart(call, request)
  }

  attemptStart(attempt: AttemptInfo, attemptId: number): void {
    this.observer?.attemptStart(attempt, attemptId)
  }

  attemptFirstToken(attempt: AttemptInfo, attemptId: number): void {
    this.observer?.attemptFirstToken(attempt, attemptId)
  }

  attemptEnd(attempt: AttemptInfo, attemptId: number, record: Attempt, response?: ModelResponse): void {
    this.observer?.attemptEnd(attempt, attemptId, record, response)
  }

  cacheHit(call: CallInfo, answer: CacheHitInfo): void {
    this.observer?.cacheHit(call, answer)
  }

  callEnd(call: CallInfo, outcome: CallOutcome): void {
    this.observer?.callEnd(call, outcome)
  }
}
