/**
 * A deterministic stand-in for an embedding model: each dimension is a concept, and a text's
 * vector counts the words it uses for each concept. Paraphrases ("beacon" for "lighthouse lamp")
 * land near each other while sharing no word, which is exactly what BM25 alone cannot see.
 */
export const CONCEPTS: readonly (readonly string[])[] = [
  ['light', 'lighthouse', 'lamp', 'lamps', 'beacon', 'lantern', 'flame', 'kindled', 'kindle', 'fire'],
  ['keeper', 'keeps', 'tends', 'tend', 'tended', 'guardian', 'watchman', 'minds'],
  ['night', 'dusk', 'evening', 'dark', 'darkness', 'nightfall', 'sunset'],
  ['sea', 'ocean', 'waves', 'tide', 'bay', 'harbour', 'harbor', 'quay'],
  ['fish', 'fishermen', 'herring', 'nets', 'catch', 'cod'],
  ['money', 'tax', 'toll', 'coin', 'silver', 'paid', 'pay', 'fee'],
  ['ruler', 'king', 'queen', 'monarch', 'crown', 'throne', 'duke'],
  ['death', 'died', 'dead', 'grave', 'drowned', 'killed', 'buried'],
];

const WORD = /\p{L}+/gu;

/** Unit vectors of CONCEPTS.length + 1 dimensions; the last is a small constant so none is zero. */
export function conceptVector(text: string): number[] {
  const vector = new Array<number>(CONCEPTS.length + 1).fill(0);
  vector[CONCEPTS.length] = 0.05;
  for (const match of text.toLowerCase().matchAll(WORD)) {
    CONCEPTS.forEach((words, index) => {
      if (words.includes(match[0])) vector[index] = (vector[index] ?? 0) + 1;
    });
  }
  const norm = Math.hypot(...vector);
  return vector.map((x) => x / norm);
}
