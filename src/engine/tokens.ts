import { countTokens } from 'gpt-tokenizer';

/** Estimated token count of `text` (cl100k-style), for when a provider reports no usage. */
export function estimateTokens(text: string): number {
  if (text === '') return 0;
  return countTokens(text);
}

/** A provider-reported count when it is a usable number, else the estimate. */
export function replyTokens(reported: number | undefined, text: string): number {
  if (reported !== undefined && Number.isInteger(reported) && reported >= 0) return reported;
  return estimateTokens(text);
}
