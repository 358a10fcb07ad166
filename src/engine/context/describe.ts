/** A readable account of a context manifest, for `/context`'s notice. */
import type { ContextManifest, LeftOutBlock, ManifestBlock, ManifestBlockKind } from '../../protocol/index.ts';

const NAMES: Record<ManifestBlockKind, [string, string]> = {
  base_rules: ['base rules', 'base rules'],
  rule: ['rule', 'rules'],
  world_prompt: ['world instructions', 'world instructions'],
  character: ['player character', 'player character'],
  constant_entry: ['constant entry', 'constant entries'],
  scene: ['scene', 'scene'],
  summary: ['summary', 'summary'],
  entry: ['keyword entry', 'keyword entries'],
  lore: ['lore chunk', 'lore chunks'],
  memory: ['memory', 'memories'],
  closing: ['closing line', 'closing line'],
  history: ['history', 'history'],
  note: ["author's note", "author's note"],
  user_message: ['your message', 'your message'],
};

const number = (n: number): string => n.toLocaleString('en-US');

function groups<T extends { kind: ManifestBlockKind; tokens: number }>(blocks: readonly T[]): Array<{ kind: ManifestBlockKind; count: number; tokens: number; items: T[] }> {
  const byKind = new Map<ManifestBlockKind, T[]>();
  for (const block of blocks) byKind.set(block.kind, [...(byKind.get(block.kind) ?? []), block]);
  return [...byKind].map(([kind, items]) => ({ kind, count: items.length, tokens: items.reduce((sum, item) => sum + item.tokens, 0), items }));
}

function included(group: { kind: ManifestBlockKind; count: number; tokens: number; items: ManifestBlock[] }): string {
  const [one, many] = NAMES[group.kind];
  if (group.kind === 'history') {
    const source = group.items[0]?.source ?? {};
    return `history ${number(source.message_count ?? 0)} messages (#${source.from_message_id}–#${source.to_message_id}) ${number(group.tokens)}`;
  }
  const cut = group.items.some((item) => item.truncated) ? ', cut to fit' : '';
  if (group.count === 1) {
    const item = group.items[0] as ManifestBlock;
    const key = item.source.key ? ` [key: ${item.source.key}]` : '';
    const label = group.kind === 'entry' || group.kind === 'constant_entry' || group.kind === 'rule' ? ` "${item.label}"${key}` : '';
    return `${one}${label} ${number(group.tokens)}${cut}`;
  }
  return `${number(group.count)} ${many} ${number(group.tokens)}${cut}`;
}

function leftOut(group: { kind: ManifestBlockKind; count: number; items: LeftOutBlock[] }): string {
  const [one, many] = NAMES[group.kind];
  const reasons = [...new Set(group.items.map((item) => item.reason.replace('_', ' ')))].join(', ');
  if (group.kind === 'history') {
    const messages = group.items.reduce((sum, item) => sum + (item.source.message_count ?? 1), 0);
    return `${number(messages)} older messages (${reasons})`;
  }
  return `${group.count === 1 ? one : `${number(group.count)} ${many}`} (${reasons})`;
}

export function describeManifest(manifest: ContextManifest): string {
  const head =
    `✓ Context of the last turn (${manifest.model}): ${number(manifest.total_tokens)} of ${number(manifest.input_budget)} input tokens ` +
    `(context ${number(manifest.context_length)}, ${number(manifest.reply_budget)} kept for the reply).`;
  const lines = [head, `In: ${groups(manifest.blocks).map(included).join(' · ')}`];
  if (manifest.left_out.length > 0) lines.push(`Left out: ${groups(manifest.left_out).map(leftOut).join(' · ')}`);
  return lines.join('\n');
}
