/** How spend control reports trouble it survives (a failing store, an unpriced model); the router turns it into a `warning` event. */
export type SpendWarning = (code: string, message: string, where?: { provider?: string; model?: string }) => void
