/**
 * Words too common to tell passages apart (English; contractions split into their tails). The
 * BM25 query planner drops them (they would also touch the huge posting lists of "the" and
 * "and"), and the built-in embedding model leaves them out, so both rankers look at the same words.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a an and are as at be been being but by can could did do does doing for from had has have having he her ' +
    'here hers him his how i if in into is it its itself just me my no nor not of off on once only or other ' +
    'our ours out over own same she should so some such than that the their theirs them then there these ' +
    'they this those through to too under until up very was we were what when where which while who whom why ' +
    'will with would you your yours yourself also am any all both each few more most s t d ll m re ve don ' +
    'about above after again against before below between down during further'
  ).split(' '),
);
