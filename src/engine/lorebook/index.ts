export { activateEntries, DEFAULT_MAX_RECURSION_DEPTH } from './activate.ts';
export type { ActivatedEntry, ActivationInput, ActivationResult, ActivationTrigger, KeyProblem, SkippedEntry, SkipReason } from './activate.ts';
export { splitDecorators, KNOWN_DECORATORS } from './decorators.ts';
export { matchesKey, parseKey } from './keys.ts';
export type { ParsedKey, MatchOptions } from './keys.ts';
