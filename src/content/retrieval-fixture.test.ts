// Guards the benchmark's retrieval fixture (bench/fixtures/), which is content in our world format.
import { describe, expect, it } from 'vitest';
import { checkRetrievalFixture } from '../../bench/fixtures/check-retrieval.ts';
import { isRelevant, loadRetrievalFixture, referenceChunks } from '../../bench/fixtures/retrieval-fixture.ts';

describe('the retrieval benchmark fixture', () => {
  it('has 150+ chunks, 40+ questions, and every relevant phrase once in the lore and inside one chunk', () => {
    expect(checkRetrievalFixture()).toEqual([]);
  });

  it('labels each question with a passage that is in the lore', () => {
    const { world, questions } = loadRetrievalFixture();
    const chunks = referenceChunks(world.lore);
    for (const question of questions) expect(chunks.some((chunk) => isRelevant(chunk, question)), question.question).toBe(true);
  });
});
