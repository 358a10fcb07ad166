/**
 * Flower's built-in embedding model: no weights, no service, no network. A text becomes the
 * hashed bag of its words and of their character n-grams (3 to 5 letters of `<word>`, the
 * fastText subword idea), so "Aldrec" lands near "Aldric" and "smithing" near "smith": a
 * misspelt name still shares most of its n-grams with the right one, where BM25's exact
 * (stemmed) tokens share nothing. It knows no synonyms or paraphrases; an endpoint model does.
 *
 * Each feature is hashed (FNV-1a, then a murmur3 finaliser) to a dimension and a sign, weighted
 * by sublinear term frequency (1 + ln tf), and the vector is L2-normalised. The vectors stay
 * sparse: a short prompt touches few dimensions, which the vector store's per-dimension copies
 * make cheap to search. (A randomised Hadamard rotation, for dense SimHash-like sign bits, was
 * tried and measured worse at pre-selecting candidates.) Stop words are left out, as BM25's
 * query planner leaves them out (engine/retrieval/stop-words.ts).
 *
 * Everything is integer hashing and IEEE-754 arithmetic in a fixed order, so a text gets the
 * same vector in every process and on every platform. Changing anything here changes the
 * vectors: bump ALGORITHM_REVISION so stored vectors are re-embedded instead of mixed.
 */
import { BUILTIN_EMBEDDINGS_PROVIDER, type BuiltinEmbeddingModelId } from '../config/providers-config.ts';
import type { EmbeddingModel } from '../engine/ports.ts';
import { STOP_WORDS } from '../engine/retrieval/stop-words.ts';

/** Part of every stored model id: vectors of another revision are another model's. */
const ALGORITHM_REVISION = 1;

export interface BuiltinEmbeddingSpec {
  /** Dimensions; a power of two, so a hash's high bits pick one evenly. */
  dimensions: number;
  description: string;
}

export const BUILTIN_EMBEDDING_MODELS = {
  'hashed-ngrams-512': {
    dimensions: 512,
    description: 'hashed words and 3-5 letter n-grams, 512 dimensions: tolerates typos and inflections, knows no synonyms',
  },
} as const satisfies Record<BuiltinEmbeddingModelId, BuiltinEmbeddingSpec>;

/** The one to suggest (docs, the benchmark). */
export const DEFAULT_BUILTIN_EMBEDDING_MODEL: BuiltinEmbeddingModelId = 'hashed-ngrams-512';

const MIN_GRAM = 3;
const MAX_GRAM = 5;
/**
 * Characters embedded between yields to the event loop (~0.3 ms per 800-character passage on a
 * busy machine), so a batch of lore never holds a turn up for more than a few milliseconds.
 */
const CHARS_PER_SLICE = 8_000;

const WORD = /[\p{L}\p{N}]+/gu;
const MARKS = /\p{M}+/gu;
const HAS_DIGIT = /\p{N}/u;

// ---------------------------------------------------------------- hashing

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
/** Seeds keep whole words and n-grams of each length apart, though their letters may coincide. */
const WORD_SEED = 0x9e3779b9;
const GRAM_SEED = 0x85ebca6b;

const fnvStep = (hash: number, code: number): number => Math.imul(hash ^ code, FNV_PRIME);

/** murmur3's finaliser: FNV-1a's low bits are weak on short keys; this spreads every input bit. */
function mix(hash: number): number {
  let h = hash ^ (hash >>> 16);
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Lower-cased, accents removed (as the store's `remove_diacritics`), stop words dropped. */
export function contentWords(text: string): string[] {
  const folded = text.normalize('NFKD').replace(MARKS, '').toLowerCase();
  const words: string[] = [];
  for (const match of folded.matchAll(WORD)) if (!STOP_WORDS.has(match[0])) words.push(match[0]);
  return words;
}

/** Hashed features of a text, collected unsorted; grows as needed and is reused between texts. */
class FeatureBuffer {
  private hashes = new Uint32Array(4096);
  length = 0;

  add(feature: number): void {
    if (this.length === this.hashes.length) {
      const grown = new Uint32Array(this.hashes.length * 2);
      grown.set(this.hashes);
      this.hashes = grown;
    }
    this.hashes[this.length++] = feature;
  }

  /** The features sorted, so equal ones sit together and a run's length is the term frequency. */
  sorted(): Uint32Array {
    return this.hashes.subarray(0, this.length).sort();
  }
}

/** Adds each hashed feature of a word: the word itself, then its n-grams. */
function addFeatures(word: string, features: FeatureBuffer): void {
  let hash = fnvStep(FNV_OFFSET, WORD_SEED);
  for (let i = 0; i < word.length; i++) hash = fnvStep(hash, word.charCodeAt(i));
  features.add(mix(hash));
  // Numbers are exact things: 1247 is not "almost" 1274. (A run of CJK text, which has no
  // spaces, is one long "word" here, and its n-grams are what make it searchable.)
  if (HAS_DIGIT.test(word)) return;
  // `<word>` as UTF-16 units; '<' and '>' never occur inside a word, so they mark its ends.
  const bounded = `<${word}>`;
  for (let start = 0; start + MIN_GRAM <= bounded.length; start++) {
    let gram = fnvStep(FNV_OFFSET, GRAM_SEED);
    for (let length = 1; length <= MAX_GRAM && start + length <= bounded.length; length++) {
      gram = fnvStep(gram, bounded.charCodeAt(start + length - 1));
      if (length >= MIN_GRAM) features.add(mix(gram ^ length));
    }
  }
}

/**
 * Turns texts into vectors of `dimensions` (a power of two). A text with no content words (only
 * stop words, punctuation or nothing) gets all zeros, which the indexer and the search treat as
 * "no vector" rather than as noise. Reuses one buffer: call it from one place at a time.
 */
export function createVectorizer(dimensions: number): (text: string) => number[] {
  if (!Number.isInteger(Math.log2(dimensions))) throw new Error(`built-in embeddings hash to a power of two dimensions, not ${dimensions}`);
  const shift = 32 - Math.log2(dimensions);
  const features = new FeatureBuffer();
  return (text) => {
    features.length = 0;
    for (const word of contentWords(text)) addFeatures(word, features);
    const sorted = features.sorted();
    const vector = new Float64Array(dimensions);
    for (let start = 0; start < sorted.length; ) {
      const feature = sorted[start] as number;
      let end = start + 1;
      while (end < sorted.length && sorted[end] === feature) end++;
      // High bits pick the dimension, the lowest bit the sign: independent parts of one hash.
      const index = feature >>> shift;
      vector[index] = (vector[index] as number) + (feature & 1 ? -1 : 1) * (1 + Math.log(end - start));
      start = end;
    }
    let norm = 0;
    for (const x of vector) norm += x * x;
    norm = Math.sqrt(norm);
    return Array.from(vector, (x) => (norm === 0 ? 0 : x / norm));
  };
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** The built-in model `id` (the config's BUILTIN_EMBEDDING_MODEL_IDS name them). */
export function createBuiltinEmbeddings(id: BuiltinEmbeddingModelId): EmbeddingModel {
  const { dimensions } = BUILTIN_EMBEDDING_MODELS[id];
  const vectorOf = createVectorizer(dimensions);
  return {
    id: `${BUILTIN_EMBEDDINGS_PROVIDER}/${id}@${ALGORITHM_REVISION}`,
    async embed(texts, signal) {
      const vectors: number[][] = [];
      let sinceYield = 0;
      for (const text of texts) {
        if (sinceYield >= CHARS_PER_SLICE) {
          await yieldToEventLoop();
          sinceYield = 0;
        }
        if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('built-in embeddings: aborted');
        vectors.push(vectorOf(text));
        sinceYield += text.length;
      }
      return vectors;
    },
  };
}
