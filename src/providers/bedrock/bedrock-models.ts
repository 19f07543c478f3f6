/** Claude on Bedrock: `anthropic.claude-…`, or an inference profile `us.anthropic.claude-…`, `global.anthropic.claude-…`. */
export function isClaudeModel(model: string): boolean {
  return /(^|\.)anthropic\.claude/.test(model)
}
