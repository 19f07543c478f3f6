/**
 * The time limit given to the SDKs: attempt time limits belong to the router (`timeoutMs`), and an
 * SDK's own default (one minute for Groq, ten for OpenAI and Anthropic) would cut off a long
 * non-streamed answer from a reasoning model before the router's limit.
 */
export const sdkTimeoutMs = 60 * 60 * 1000
