import type Database from 'better-sqlite3';

/** The terms of each text, in order; each set is what the index stores for that text. */
export type TermReader = (texts: readonly string[]) => Array<Set<string>>;

const TOKENIZE = /tokenize\s*=\s*'((?:[^']|'')*)'/i;

/**
 * The terms a full-text table's tokenizer makes of texts (case folding, diacritics, porter
 * stems), asked of SQLite itself so they are exactly the index's: the texts go through a
 * scratch FTS5 table in the connection's temp schema (never the database file) with the same
 * `tokenize` option, and its fts5vocab table lists the terms. Undefined when the table's
 * tokenizer cannot be read; callers then assume any text may hold any term.
 */
export function createTermReader(db: Database.Database, table: string): TermReader | undefined {
  const sql = db.prepare<[string], string>("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?").pluck().get(table);
  const tokenize = sql === undefined ? undefined : TOKENIZE.exec(sql)?.[1];
  if (tokenize === undefined) return undefined;
  const scratch = `${table}_scratch_terms`;
  db.exec(`
    CREATE VIRTUAL TABLE IF NOT EXISTS temp.${scratch} USING fts5(text, tokenize = '${tokenize}');
    CREATE VIRTUAL TABLE IF NOT EXISTS temp.${scratch}_vocab USING fts5vocab(temp, ${scratch}, instance);`);
  const insert = db.prepare<[number, string]>(`INSERT INTO temp.${scratch} (rowid, text) VALUES (?, ?)`);
  const select = db.prepare<[], { doc: number; term: string }>(`SELECT doc, term FROM temp.${scratch}_vocab`);
  const clear = db.prepare(`DELETE FROM temp.${scratch}`);
  return db.transaction((texts: readonly string[]) => {
    const terms = texts.map(() => new Set<string>());
    texts.forEach((text, at) => insert.run(at + 1, text));
    for (const row of select.all()) terms[row.doc - 1]?.add(row.term);
    clear.run();
    return terms;
  });
}
