/** What a call does: a whole chat answer, a streamed one, or embeddings. */
export type Operation = 'chat' | 'stream' | 'embed'
