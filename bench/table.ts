/** The printed table: figure, value, baseline (what it was measured against), target. */
import { targetMark, type Figure } from './figure.ts';

export function formatValue(value: number | null, unit: Figure['unit']): string {
  if (value === null || Number.isNaN(value)) return '—';
  if (unit === 'ms') return `${value < 10 ? value.toFixed(3) : value < 100 ? value.toFixed(2) : value.toFixed(0)} ms`;
  if (unit === 'MB') return `${value.toFixed(1)} MB`;
  if (unit === '%') return `${value.toFixed(1)} %`;
  return `${Math.round(value).toLocaleString('en-US')} chunks/s`;
}

export function formatTable(figures: readonly Figure[]): string {
  const rows = figures.map((f) => {
    const mark = targetMark(f);
    const target = f.target ? `${f.target.text}${mark ? ` ${mark}` : ''}` : '';
    const baseline = f.baseline === null ? (f.baselineLabel ? '—' : '') : `${formatValue(f.baseline, f.unit)} (${f.baselineLabel})`;
    const value = f.value === null ? `— ${f.note ?? ''}`.trim() : formatValue(f.value, f.unit);
    return [f.label, value, baseline, target];
  });
  const header = ['figure', 'value', 'baseline (same run)', 'target'];
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: string[]) => cells.map((c, i) => pad(c, widths[i] ?? 0)).join(' │ ');
  const rule = widths.map((w) => '─'.repeat(w)).join('─┼─');
  return [line(header), rule, ...rows.map(line)].join('\n');
}

const width = (text: string): number => Array.from(text).length;
const pad = (text: string, size: number): string => text + ' '.repeat(Math.max(0, size - width(text)));
