import { ConfigurationError } from '../errors/errors.js'

/** `createRouter({ reportPage })`: serve `router.report()` as a page through `router.fetch`. Off unless set. */
export interface ReportPageOptions {
  /** Path it is served at, e.g. `/switchyard/report`. */
  path: string
  /**
   * Required: the page shows spend and traffic. Send it as `Authorization: Bearer <token>`; a
   * browser asks for it (HTTP Basic: any user name, the token as the password). Never in the URL,
   * where it would end up in access logs and browser history. At least 16 characters.
   */
  token: string
  /** Page title. Default `Switchyard report`. */
  title?: string
}

const minimumTokenLength = 16

export function validateReportPage(options: unknown): ReportPageOptions | undefined {
  if (options === undefined || options === false) return undefined
  const page = options as Partial<ReportPageOptions> | null
  if (typeof page !== 'object' || page === null || typeof page.path !== 'string' || !page.path.startsWith('/')) {
    throw new ConfigurationError("createRouter: `reportPage` needs a path starting with '/': reportPage: { path: '/switchyard/report', token: process.env.SWITCHYARD_REPORT_TOKEN }.")
  }
  if (typeof page.token !== 'string' || page.token.length < minimumTokenLength) {
    throw new ConfigurationError(
      `createRouter: \`reportPage\` needs a \`token\` of at least ${minimumTokenLength} characters (it guards spend and traffic figures); generate one, e.g. with \`openssl rand -hex 24\`, and pass it from your secrets.`,
    )
  }
  return { path: page.path.replace(/\/+$/, '') || '/', token: page.token, ...(page.title ? { title: page.title } : {}) }
}

export function isReportPath(page: ReportPageOptions, pathname: string): boolean {
  return (pathname.replace(/\/+$/, '') || '/') === page.path
}
