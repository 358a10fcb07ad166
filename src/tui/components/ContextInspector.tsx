import type { JSX } from 'react';
import type { ContextManifest, LeftOutBlock, ManifestBlock, ManifestBlockKind } from '../../protocol/index.ts';
import type { Theme } from '../theme.ts';
import { panelRowCount, ScrollPanel, type PanelLine } from './ScrollPanel.tsx';

/**
 * What went into the last turn's prompt (the `/context` manifest): each block in prompt order
 * with its source and tokens, then what was left out and why, then the budgets.
 */
type InspectorLine = PanelLine;

const KIND_NAMES: Record<ManifestBlockKind, string> = {
  base_rules: 'base rules',
  rule: 'rule',
  world_prompt: 'world',
  character: 'character',
  constant_entry: 'constant entry',
  scene: 'scene',
  summary: 'summary',
  entry: 'entry',
  lore: 'lore',
  memory: 'memory',
  closing: 'closing',
  history: 'history',
  note: "author's note",
  user_message: 'your message',
};

const number = (n: number): string => n.toLocaleString('en-US');

function sourceText(block: ManifestBlock | LeftOutBlock): string {
  const s = block.source;
  if (block.kind === 'history' && s.from_message_id !== undefined) return `messages #${s.from_message_id}–#${s.to_message_id} (${s.message_count ?? 0})`;
  if (block.kind === 'summary' && s.to_message_id !== undefined) return `covers up to #${s.to_message_id}`;
  if (s.chunk_id !== undefined) return `chunk #${s.chunk_id}`;
  if (s.memory_id !== undefined) return `memory #${s.memory_id}`;
  if (block.kind === 'entry' || block.kind === 'constant_entry') return s.key ? `${s.id} · key "${s.key}"` : `${s.id ?? ''} · ${s.trigger ?? 'constant'}`;
  return s.id ?? '';
}

const leftOf = (block: ManifestBlock | LeftOutBlock): string => `${KIND_NAMES[block.kind]}: ${block.label}`;

export function inspectorLines(manifest: ContextManifest | null): InspectorLine[] {
  const lines: InspectorLine[] = [{ kind: 'title', left: 'Context inspector', right: 'Ctrl+O or Esc closes · Up/Down/PgUp/PgDn scroll' }];
  if (!manifest) {
    lines.push({ kind: 'note', left: 'No context yet: send a turn, then press Ctrl+O or type /context.', right: '' });
    return lines;
  }
  lines.push({
    kind: 'note',
    left: `${manifest.model} · ${number(manifest.total_tokens)} of ${number(manifest.input_budget)} input tokens · context ${number(manifest.context_length)} · ${number(manifest.reply_budget)} kept for the reply`,
    right: '',
  });
  lines.push({ kind: 'heading', left: `In the prompt, in order (${manifest.blocks.length})`, right: '' });
  for (const block of manifest.blocks) {
    const cut = block.truncated ? ' · cut to fit' : '';
    const source = sourceText(block);
    lines.push({ kind: 'entry', left: leftOf(block), right: `${number(block.tokens)} tok${source ? ` · ${source}` : ''}${cut}` });
  }
  lines.push({ kind: 'heading', left: `Left out (${manifest.left_out.length})`, right: '' });
  if (manifest.left_out.length === 0) lines.push({ kind: 'note', left: 'Nothing: everything found fitted.', right: '' });
  for (const block of manifest.left_out) {
    const source = sourceText(block);
    lines.push({ kind: 'entry', left: leftOf(block), right: `${block.reason.replace('_', ' ')}: ${block.detail}${source ? ` · ${source}` : ''}` });
  }
  const budgets = Object.entries(manifest.budgets).map(([name, tokens]) => `${name.replace('_', ' ')} ${number(tokens)}`);
  if (budgets.length > 0) {
    lines.push({ kind: 'heading', left: 'Budgets (tokens)', right: '' });
    lines.push({ kind: 'note', left: budgets.join(' · '), right: '' });
  }
  return lines;
}

const inspectorLeftWidth = (width: number): number => Math.min(40, Math.floor(width / 2.5));

/** Screen rows of the inspector at this width (long sources and budgets wrap). */
export function inspectorRowCount(manifest: ContextManifest | null, width: number): number {
  return panelRowCount(inspectorLines(manifest), width, inspectorLeftWidth(width));
}

export function ContextInspector(props: { manifest: ContextManifest | null; theme: Theme; width: number; height: number; offset: number }): JSX.Element {
  return (
    <ScrollPanel lines={inspectorLines(props.manifest)} theme={props.theme} width={props.width} height={props.height} offset={props.offset} leftWidth={inspectorLeftWidth(props.width)} />
  );
}
