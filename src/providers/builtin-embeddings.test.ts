import { describe, expect, it } from 'vitest';
import { BUILTIN_EMBEDDING_MODEL_IDS } from '../config/providers-config.ts';
import {
  BUILTIN_EMBEDDING_MODELS,
  contentWords,
  createBuiltinEmbeddings,
  createVectorizer,
  DEFAULT_BUILTIN_EMBEDDING_MODEL,
} from './builtin-embeddings.ts';

const vectorOf = createVectorizer(512);
const cosine = (a: readonly number[], b: readonly number[]): number => a.reduce((sum, x, i) => sum + x * (b[i] ?? 0), 0);
const similarity = (a: string, b: string): number => cosine(vectorOf(a), vectorOf(b));
const norm = (vector: readonly number[]): number => Math.sqrt(cosine(vector, vector));

describe('built-in embeddings (hashed words and character n-grams)', () => {
  it('gives unit vectors of the advertised dimension, one per text, in order', async () => {
    const model = createBuiltinEmbeddings('hashed-ngrams-512');
    expect(model.id).toBe('builtin/hashed-ngrams-512@1');
    expect(BUILTIN_EMBEDDING_MODEL_IDS).toContain(DEFAULT_BUILTIN_EMBEDDING_MODEL);
    const texts = ['Aldric the smith', 'The harbour at dusk', 'Зимний перевал закрыт', '灯台の守り人'];
    const vectors = await model.embed(texts);
    expect(vectors).toHaveLength(texts.length);
    for (const vector of vectors) {
      expect(vector).toHaveLength(BUILTIN_EMBEDDING_MODELS['hashed-ngrams-512'].dimensions);
      expect(vector.every(Number.isFinite)).toBe(true);
      expect(norm(vector)).toBeCloseTo(1, 12);
    }
    expect(vectors).toEqual(texts.map((text) => vectorOf(text)));
  });

  it('is deterministic: the same vector in every call, instance and process', async () => {
    const text = 'Aldric the smith forges blades at Thornwick.';
    const first = await createBuiltinEmbeddings('hashed-ngrams-512').embed([text, 'other words', text]);
    const again = await createBuiltinEmbeddings('hashed-ngrams-512').embed([text]);
    expect(first[2]).toEqual(first[0]);
    expect(again[0]).toEqual(first[0]);
    // Recorded once; any change here changes stored vectors, so ALGORITHM_REVISION must be bumped.
    const vector = first[0] ?? [];
    expect(vector.slice(0, 6).map((x) => Number(x.toFixed(6)))).toEqual([-0.104905, 0, 0, -0.209811, 0, 0]);
    expect(vector.reduce((sum, x, i) => sum + x * (i + 1), 0)).toBeCloseTo(-728.594277788, 6);
  });

  it('puts a misspelt name nearer the right one than any other word', () => {
    const pairs: [typo: string, right: string, others: string[]][] = [
      ['Aldrec', 'Aldric', ['Thornwick', 'Marrowfen', 'Alaric Vayle', 'blacksmith', 'harbour']],
      ['Tolmoor', 'Tollmoor', ['Tessaly', 'Skarra', 'moor', 'Merrowdeep']],
      ['Hrafnsguard', 'Hrafnsgard', ['Hartsbane', 'guard', 'Gullwick']],
      ['Kharros', 'Kharos', ['Karsk', 'harbour', 'heron']],
    ];
    for (const [typo, right, others] of pairs) {
      const near = similarity(typo, right);
      expect(near, `${typo} ~ ${right}`).toBeGreaterThan(0.3);
      for (const other of others) expect(near, `${typo} ~ ${right} vs ${other}`).toBeGreaterThan(similarity(typo, other) + 0.1);
    }
  });

  it('puts inflections near their stem, and a sentence near the passage about its subject', () => {
    expect(similarity('smithing', 'smith')).toBeGreaterThan(similarity('smithing', 'harbour') + 0.3);
    expect(similarity('drowned sailors', 'a sailor drowning')).toBeGreaterThan(0.3);
    const passage = 'Aldric the smith forges blades for the garrison at Thornwick.';
    const question = 'Where does Aldrec work?';
    for (const other of ['The miller of Thornwick grinds barley.', 'Merchants know the pass is closed in winter.']) {
      expect(similarity(question, passage)).toBeGreaterThan(similarity(question, other));
    }
  });

  it('ignores case, accents, word order and stop words', () => {
    expect(vectorOf('ÉOWYN of Rohan')).toEqual(vectorOf('eowyn rohan'));
    expect(similarity('red dragon', 'dragon red')).toBeCloseTo(1, 12);
    expect(vectorOf('what is the')).toEqual(new Array(512).fill(0));
    expect(vectorOf('')).toEqual(new Array(512).fill(0));
    expect(contentWords("Who is Mother Crake's heir?")).toEqual(['mother', 'crake', 'heir']);
  });

  it('weighs repeats sublinearly: saying a word twice is not twice the word', () => {
    const once = similarity('dragon castle', 'dragon');
    const twice = similarity('dragon dragon castle', 'dragon');
    const tenTimes = similarity(`${'dragon '.repeat(10)}castle`, 'dragon');
    expect(twice).toBeGreaterThan(once);
    // Raw counts would give 10 / sqrt(101) = 0.995: "castle" would all but vanish.
    expect(tenTimes).toBeLessThan(0.98);
  });

  it('yields to the event loop between slices of a large batch, and stops when aborted', async () => {
    const model = createBuiltinEmbeddings('hashed-ngrams-512');
    let ranMeanwhile = false;
    setImmediate(() => (ranMeanwhile = true));
    // Twenty passages of ~800 characters, as a batch of lore from the indexer.
    const passages = Array.from({ length: 20 }, (_, i) => `Passage ${i} about the keep and its towers. `.repeat(18));
    const vectors = await model.embed(passages);
    expect(vectors).toHaveLength(20);
    expect(ranMeanwhile).toBe(true);

    const controller = new AbortController();
    controller.abort(new Error('indexer stopped'));
    await expect(model.embed(['x'], controller.signal)).rejects.toThrow('indexer stopped');
  });

  it('refuses dimensions a hash cannot pick evenly', () => {
    expect(() => createVectorizer(384)).toThrow(/power of two/);
  });
});
