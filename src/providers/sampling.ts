/** Sampling settings for a reply: the request's own limit, then the model's config, then roleplay defaults. */
import type { ModelEntry } from '../config/providers-config.ts';

export interface Sampling {
  temperature: number;
  topP?: number;
  maxOutputTokens: number;
}

/** Warm enough for varied prose, long enough for a scene, short enough to stay responsive. */
export const ROLEPLAY_DEFAULTS: Sampling = { temperature: 0.8, maxOutputTokens: 1024 };

export function samplingFor(entry: ModelEntry | undefined, requestMaxOutputTokens?: number): Sampling {
  return {
    temperature: entry?.temperature ?? ROLEPLAY_DEFAULTS.temperature,
    topP: entry?.top_p ?? ROLEPLAY_DEFAULTS.topP,
    maxOutputTokens: requestMaxOutputTokens ?? entry?.max_output_tokens ?? ROLEPLAY_DEFAULTS.maxOutputTokens,
  };
}
