/** What each benchmark reports: figures next to a baseline measured in the same run. */

export type Unit = 'ms' | 'MB' | 'chunks/s' | '%';

export interface Target {
  /** The figure meets the target when it is below `below` (issue 7). */
  below: number;
  text: string;
}

export interface Figure {
  /** Stable key in the JSON, e.g. `turn.p99`. */
  id: string;
  label: string;
  unit: Unit;
  /** `null` when it could not be measured; `note` says why. */
  value: number | null;
  baseline: number | null;
  baselineLabel: string;
  target?: Target;
  note?: string;
}

export interface BenchContext {
  quick: boolean;
  /** Progress lines, printed to stderr so the table on stdout stays clean. */
  log(message: string): void;
}

export interface BenchResult {
  figures: Figure[];
  /** Sizes, sample counts and anything a reader needs to judge the figures. */
  details: Record<string, unknown>;
  notes: string[];
}

export interface Bench {
  name: string;
  description: string;
  run(ctx: BenchContext): Promise<BenchResult>;
}

export const unmeasured = (id: string, label: string, unit: Unit, note: string, target?: Target): Figure => ({
  id,
  label,
  unit,
  value: null,
  baseline: null,
  baselineLabel: '',
  target,
  note,
});

/** ✓ / ✗ against the target, or '' when there is no target or no value. */
export function targetMark(figure: Figure): string {
  if (!figure.target || figure.value === null || Number.isNaN(figure.value)) return '';
  return figure.value < figure.target.below ? '✓' : '✗';
}
