/** Fakes of the embedding port for retrieval tests: the concept embedder, scriptable to fail or hang. */
import { conceptVector } from '../../../test/support/concept-embeddings.ts';
import type { EmbeddingModel } from '../ports.ts';

export interface FakeEmbeddingModel extends EmbeddingModel {
  /** Every call's texts, in order. */
  calls: string[][];
  /** `fail`: the next calls reject; `hang`: they wait until aborted; `ok`: they answer. */
  mode: 'ok' | 'fail' | 'hang';
}

export function fakeEmbeddingModel(id = 'fake/concepts'): FakeEmbeddingModel {
  const model: FakeEmbeddingModel = {
    id,
    calls: [],
    mode: 'ok',
    embed(texts, signal) {
      model.calls.push(texts);
      if (model.mode === 'fail') return Promise.reject(new Error('fake embeddings: HTTP 503'));
      if (model.mode === 'hang') {
        return new Promise((_, reject) => signal?.addEventListener('abort', () => reject(signal.reason as Error), { once: true }));
      }
      return Promise.resolve(texts.map(conceptVector));
    },
  };
  return model;
}
