/**
 * The parts of the Gemini API (`generateContent`, `streamGenerateContent`, `batchEmbedContents`)
 * the translation reads and writes, in the `@google/genai` SDK's camelCase. Declared here rather
 * than imported from the SDK, so our public types never require it to be installed.
 */
export interface GoogleWireFunctionCall {
  /** Gemini usually leaves it out; the adapter then generates one. */
  id?: string
  name?: string
  args?: Record<string, unknown>
}

export interface GoogleWirePart {
  text?: string
  /** Marks a thought-summary part (reasoning), not part of the answer. */
  thought?: boolean
  /** Opaque signature of the model's reasoning; must be sent back on the next turn. */
  thoughtSignature?: string
  inlineData?: { mimeType: string; data: string }
  fileData?: { fileUri: string; mimeType?: string }
  functionCall?: GoogleWireFunctionCall
  functionResponse?: { id?: string; name: string; response: Record<string, unknown> }
}

export interface GoogleWireContent {
  role: 'user' | 'model'
  parts: GoogleWirePart[]
}

export interface GoogleWireFunctionDeclaration {
  name: string
  description?: string
  parametersJsonSchema?: Record<string, unknown>
}

/** `GenerateContentConfig` as the SDK takes it: generation settings, tools and system instruction. */
export interface GoogleWireConfig {
  systemInstruction?: { parts: Array<{ text: string }> }
  tools?: Array<{ functionDeclarations: GoogleWireFunctionDeclaration[] }>
  toolConfig?: { functionCallingConfig: { mode: 'AUTO' | 'ANY' | 'NONE'; allowedFunctionNames?: string[] } }
  responseMimeType?: string
  responseJsonSchema?: Record<string, unknown>
  stopSequences?: string[]
  temperature?: number
  topP?: number
  maxOutputTokens?: number
  seed?: number
  presencePenalty?: number
  frequencyPenalty?: number
  thinkingConfig?: { thinkingBudget?: number; thinkingLevel?: string; includeThoughts?: boolean }
  abortSignal?: AbortSignal
  automaticFunctionCalling?: { disable: boolean }
  [providerOption: string]: unknown
}

export interface GoogleWireRequest {
  model: string
  contents: GoogleWireContent[]
  config: GoogleWireConfig
}

export interface GoogleWireUsage {
  /** All prompt tokens, cached ones included. */
  promptTokenCount?: number
  cachedContentTokenCount?: number
  /** Answer tokens, thoughts excluded. */
  candidatesTokenCount?: number
  thoughtsTokenCount?: number
  /** Prompt tokens of built-in tool results (search grounding, code execution); billed as input. */
  toolUsePromptTokenCount?: number
  totalTokenCount?: number
}

export interface GoogleWireCandidate {
  content?: { role?: string; parts?: GoogleWirePart[] }
  finishReason?: string
  finishMessage?: string
  index?: number
  [extra: string]: unknown
}

export interface GoogleWireResponse {
  candidates?: GoogleWireCandidate[]
  usageMetadata?: GoogleWireUsage
  modelVersion?: string
  responseId?: string
  promptFeedback?: { blockReason?: string; [extra: string]: unknown }
  [extra: string]: unknown
}

export interface GoogleWireEmbedResponse {
  /** `statistics` only on Vertex AI, whose `:predict` answer the SDK converts to this shape. */
  embeddings?: Array<{ values?: number[]; statistics?: { tokenCount?: number; truncated?: boolean } }>
}

/** The slice of a `@google/genai` `GoogleGenAI` client the adapter calls; any real instance fits. */
export interface GoogleClientLike {
  models: {
    generateContent(parameters: any): Promise<any>
    generateContentStream(parameters: any): Promise<AsyncIterable<any>>
    embedContent(parameters: any): Promise<any>
    countTokens?(parameters: any): Promise<any>
  }
}
