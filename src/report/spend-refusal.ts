/**
 * Error codes of the spend controls when they refuse an attempt before its provider is called (a
 * budget) or stop it (a per-call cost cap). Such an attempt says nothing about the model's health.
 */
export function isSpendRefusal(code: string | undefined): boolean {
  return code === 'budget_exceeded' || code === 'cost_cap_exceeded'
}
