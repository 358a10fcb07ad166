/**
 * In-memory copies of scopes' vectors (see vector-matrix.ts), so a search does not read every
 * vector BLOB of a scope from SQLite each time: that read, not the arithmetic, was most of the
 * cost (~90 ms for 10,000 vectors on a busy machine).
 *
 * Staying right without a schema change:
 * - Every row this connection inserts, updates or deletes in `vectors` — directly, through the
 *   triggers that follow deleted lore and memories, or by cascade — is reported by TEMP triggers
 *   (they live only in this connection) and marked pending in the cached copy of its scope.
 *   Before a cached copy is used, its pending rows are read again from the table, so whether
 *   the change was committed or rolled back, the copy ends up as the table is.
 * - Inside a transaction nothing is built or brought up to date (the transaction may still
 *   roll back); a copy with pending rows is then not used at all.
 * - Another connection's commit (another process, e.g. `flower import`) changes
 *   `PRAGMA data_version`; every copy is then dropped.
 *
 * Copies are bounded by bytes, least recently used first. Exact copies (scopes up to the exact
 * search limit) are built when first searched, which costs about one uncached search. Compact
 * copies of larger scopes are built in the background in small slices, because reading
 * 100,000 vectors takes seconds; until one is ready the store uses its coarse index.
 */
import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import { CompactMatrix } from './vector-compact-matrix.ts';
import { ExactMatrix, matrixBytes, type ScopeMatrix } from './vector-matrix.ts';

export interface VectorCacheOptions {
  /** Upper bound on the memory all cached scopes take together. */
  maxBytes: number;
  /** Runs one slice of a background build later (default: a timer that does not hold the process open). */
  schedule?: (work: () => void) => void;
}

export interface CachedScope {
  form: 'exact' | 'compact';
  matrix: ScopeMatrix;
}

interface Entry extends CachedScope {
  spaceId: number;
  scope: string;
  /** Rows changed by this connection since the copy was last brought up to date. */
  pending: Set<number>;
  bytes: number;
}

interface Build {
  key: string;
  spaceId: number;
  scope: string;
  matrix: CompactMatrix;
  /** The last `vectors` rowid read. */
  cursor: number;
  pending: Set<number>;
}

/** Rows read per background slice: a few milliseconds, so turns and relayed chunks barely wait. */
const SLICE_ROWS = 256;
/** Past this many pending rows (or a quarter of the scope) rebuilding is cheaper than patching. */
const MAX_PENDING = 1024;

const keyOf = (spaceId: number, scope: string): string => `${spaceId}\u0000${scope}`;

/** A stored BLOB as float32 values (copied when its bytes are not 4-aligned). */
export function floatsOf(blob: Buffer): Float32Array {
  if (blob.byteOffset % 4 === 0) return new Float32Array(blob.buffer, blob.byteOffset, blob.byteLength >> 2);
  return new Float32Array(Uint8Array.from(blob).buffer, 0, blob.byteLength >> 2);
}

const defaultSchedule = (work: () => void): void => {
  setTimeout(work, 0).unref();
};

export class VectorCaches {
  private readonly maxBytes: number;
  private readonly schedule: (work: () => void) => void;
  /** In least recently used order: a used entry is moved to the end. */
  private readonly entries = new Map<string, Entry>();
  private readonly builds = new Map<string, Build>();
  /** Scopes too large to hold; tried again once they change. */
  private readonly refused = new Set<string>();
  private bytes = 0;
  private seenVersion: number;
  private readonly dataVersion: Database.Statement<[], number>;
  private readonly scopeRows: Database.Statement<[number, string], { row_id: number; embedding: Buffer }>;
  private readonly rowsAfter: Database.Statement<[number, string, number, number], { rowid: number; row_id: number; embedding: Buffer }>;
  private readonly rowsById: Database.Statement<[number, string], { row_id: number; scope: string; embedding: Buffer }>;
  private readonly countScope: Database.Statement<[number, string], number>;

  constructor(
    private readonly db: Database.Database,
    options: VectorCacheOptions,
  ) {
    this.maxBytes = options.maxBytes;
    this.schedule = options.schedule ?? defaultSchedule;
    this.dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();
    this.seenVersion = this.dataVersion.get() ?? 0;
    this.scopeRows = db.prepare('SELECT row_id, embedding FROM vectors WHERE space_id = ? AND scope = ?');
    this.rowsAfter = db.prepare('SELECT rowid, row_id, embedding FROM vectors WHERE space_id = ? AND scope = ? AND rowid > ? ORDER BY rowid LIMIT ?');
    this.rowsById = db.prepare('SELECT row_id, scope, embedding FROM vectors WHERE space_id = ? AND row_id IN (SELECT value FROM json_each(?))');
    this.countScope = db.prepare<[number, string], number>('SELECT count(*) FROM vectors WHERE space_id = ? AND scope = ?').pluck();
    this.watchWrites();
  }

  /** TEMP triggers report this connection's changes; the names are unique so two stores on one connection each hear them. */
  private watchWrites(): void {
    const name = `flower_vectors_changed_${randomBytes(4).toString('hex')}`;
    this.db.function(name, { deterministic: false }, (spaceId: unknown, scope: unknown, rowId: unknown) => {
      if (typeof spaceId === 'number' && typeof scope === 'string' && typeof rowId === 'number') this.changed(spaceId, scope, rowId);
      return null;
    });
    this.db.exec(`
      CREATE TEMP TRIGGER ${name}_ai AFTER INSERT ON main.vectors BEGIN SELECT ${name}(new.space_id, new.scope, new.row_id); END;
      CREATE TEMP TRIGGER ${name}_ad AFTER DELETE ON main.vectors BEGIN SELECT ${name}(old.space_id, old.scope, old.row_id); END;
      CREATE TEMP TRIGGER ${name}_au AFTER UPDATE ON main.vectors BEGIN
        SELECT ${name}(old.space_id, old.scope, old.row_id);
        SELECT ${name}(new.space_id, new.scope, new.row_id);
      END;`);
  }

  private changed(spaceId: number, scope: string, rowId: number): void {
    const key = keyOf(spaceId, scope);
    this.refused.delete(key);
    const entry = this.entries.get(key);
    if (entry) {
      entry.pending.add(rowId);
      if (entry.pending.size > Math.max(MAX_PENDING, entry.matrix.count / 4)) this.drop(key);
    }
    const build = this.builds.get(key);
    if (build) {
      build.pending.add(rowId);
      if (build.pending.size > Math.max(MAX_PENDING, build.matrix.count / 4)) this.builds.delete(key);
    }
  }

  /** Forgets every copy if another connection committed since the last call. */
  checkOthers(): void {
    const version = this.dataVersion.get() ?? 0;
    if (version === this.seenVersion) return;
    this.seenVersion = version;
    this.clear();
  }

  clear(): void {
    this.entries.clear();
    this.builds.clear();
    this.refused.clear();
    this.bytes = 0;
  }

  forgetSpace(spaceId: number): void {
    for (const entry of [...this.entries.values()]) if (entry.spaceId === spaceId) this.drop(keyOf(spaceId, entry.scope));
    for (const build of [...this.builds.values()]) if (build.spaceId === spaceId) this.builds.delete(build.key);
  }

  /**
   * The scope's copy, brought up to date with this connection's writes; undefined when there is
   * none, or when it has pending rows inside a transaction (it cannot be brought up to date then).
   */
  current(spaceId: number, dimensions: number, scope: string): CachedScope | undefined {
    const key = keyOf(spaceId, scope);
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.matrix.dimensions !== dimensions) {
      this.drop(key);
      return undefined;
    }
    if (entry.pending.size > 0) {
      if (this.db.inTransaction) return undefined;
      this.catchUp(entry);
    }
    this.entries.delete(key);
    this.entries.set(key, entry);
    this.account(entry);
    return this.entries.has(key) ? entry : undefined;
  }

  /** Reads the pending rows again and applies what the table holds now. */
  private catchUp(entry: Entry): void {
    const ids = [...entry.pending];
    entry.pending.clear();
    const rows = new Map(this.rowsById.all(entry.spaceId, JSON.stringify(ids)).map((row) => [row.row_id, row]));
    for (const id of ids) {
      const row = rows.get(id);
      if (row && row.scope === entry.scope && row.embedding.byteLength === entry.matrix.dimensions * 4) entry.matrix.set(id, floatsOf(row.embedding));
      else entry.matrix.remove(id);
    }
  }

  /** Builds the exact copy of a scope of about `count` rows now; undefined inside a transaction or when it would not fit. */
  buildExact(spaceId: number, dimensions: number, scope: string, count: number): ExactMatrix | undefined {
    if (this.db.inTransaction || matrixBytes('exact', dimensions, count) > this.maxBytes) return undefined;
    const matrix = new ExactMatrix(dimensions, count);
    for (const row of this.scopeRows.iterate(spaceId, scope)) {
      if (row.embedding.byteLength === dimensions * 4) matrix.set(row.row_id, floatsOf(row.embedding));
    }
    this.put({ form: 'exact', matrix, spaceId, scope, pending: new Set(), bytes: 0 });
    return matrix;
  }

  /** Starts building the compact copy of a large scope in the background, unless it is under way or would not fit. */
  startCompact(spaceId: number, dimensions: number, scope: string): void {
    const key = keyOf(spaceId, scope);
    if (this.db.inTransaction || this.builds.has(key) || this.refused.has(key) || dimensions % 2 !== 0) return;
    const count = this.countScope.get(spaceId, scope) ?? 0;
    if (matrixBytes('compact', dimensions, count) > this.maxBytes) {
      this.refused.add(key);
      return;
    }
    const build: Build = { key, spaceId, scope, matrix: new CompactMatrix(dimensions, count), cursor: 0, pending: new Set() };
    this.builds.set(key, build);
    this.schedule(() => this.step(build));
  }

  /** Whether a background build is under way (for tests and the benchmark). */
  building(): boolean {
    return this.builds.size > 0;
  }

  private step(build: Build): void {
    if (!this.db.open || this.builds.get(build.key) !== build) return;
    try {
      this.checkOthers();
      if (this.builds.get(build.key) !== build) return;
      if (this.db.inTransaction) {
        this.schedule(() => this.step(build));
        return;
      }
      let read = 0;
      for (const row of this.rowsAfter.iterate(build.spaceId, build.scope, build.cursor, SLICE_ROWS)) {
        if (row.embedding.byteLength === build.matrix.dimensions * 4) build.matrix.set(row.row_id, floatsOf(row.embedding));
        build.cursor = row.rowid;
        read++;
      }
      if (read === SLICE_ROWS) {
        this.schedule(() => this.step(build));
        return;
      }
      this.builds.delete(build.key);
      this.put({ form: 'compact', matrix: build.matrix, spaceId: build.spaceId, scope: build.scope, pending: build.pending, bytes: 0 });
    } catch {
      // The search keeps working without the copy; the scope is tried again once it changes.
      this.builds.delete(build.key);
      this.refused.add(build.key);
    }
  }

  private put(entry: Entry): void {
    const key = keyOf(entry.spaceId, entry.scope);
    this.drop(key);
    this.entries.set(key, entry);
    this.account(entry);
  }

  /** Records the entry's current size and evicts the least recently used copies past the budget. */
  private account(entry: Entry): void {
    const bytes = entry.matrix.bytes;
    this.bytes += bytes - entry.bytes;
    entry.bytes = bytes;
    for (const [key, oldest] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      if (oldest !== entry || this.entries.size === 1) this.drop(key);
    }
  }

  private drop(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= entry.bytes;
  }
}
