import { createSqliteStore as after } from '../src/store/sqlite-store.ts';
import { createSqliteStore as before } from '/tmp/flower-before/src/store/sqlite-store.ts';
import { queries } from './retrieval.ts';
import { summarize } from './stats.ts';
const path = '.bench/dataset-v2-schema5-lore100000-mem100000-msg10000.sqlite';
const stores = { before: before(path, { readonly: true }), after: after(path, { readonly: true }) };
const list = queries(400);
const cases = [
  ['lore bench_world', (s: any, q: string) => s.lore.search('bench_world', q, 3)],
  ['memory cccc (100k)', (s: any, q: string) => s.memory.search('cccccccccccc', q, 3)],
  ['memory bbbb (1k)', (s: any, q: string) => s.memory.search('bbbbbbbbbbbb', q, 3)],
] as const;
for (const [name, fn] of cases) {
  const t: Record<string, number[]> = { before: [], after: [] };
  for (const q of list.slice(0, 50)) { fn(stores.before, q); fn(stores.after, q); }
  for (let round = 0; round < 4; round++) for (const side of ['before', 'after'] as const) {
    for (const q of list) { const s = performance.now(); fn(stores[side], q); t[side]!.push(performance.now() - s); }
  }
  const b = summarize(t.before!), a = summarize(t.after!);
  console.log(name.padEnd(22), `before p50 ${b.p50.toFixed(3)} p99 ${b.p99.toFixed(3)} mean ${b.mean.toFixed(3)} | after p50 ${a.p50.toFixed(3)} p99 ${a.p99.toFixed(3)} mean ${a.mean.toFixed(3)}`);
}
