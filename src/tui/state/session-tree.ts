/**
 * Sessions as a tree: branches (`/fork`) follow their parent, indented, using `sync_state`'s
 * additive `session_parents`. Order among siblings stays the engine's (most recent first); a
 * branch whose parent is not listed stays where it is, at the top level.
 */
import type { NamedItem } from '../../protocol/index.ts';

const BRANCH = '↳ ';

export function sessionTree(sessions: readonly NamedItem[], parents: Readonly<Record<string, string>> | undefined): NamedItem[] {
  if (!parents || Object.keys(parents).length === 0) return [...sessions];
  const listed = new Set(sessions.map((session) => session.id));
  const children = new Map<string, NamedItem[]>();
  const roots: NamedItem[] = [];
  for (const session of sessions) {
    const parent = parents[session.id];
    if (parent && listed.has(parent) && parent !== session.id) children.set(parent, [...(children.get(parent) ?? []), session]);
    else roots.push(session);
  }
  const out: NamedItem[] = [];
  const seen = new Set<string>();
  const visit = (session: NamedItem, depth: number) => {
    if (seen.has(session.id)) return;
    seen.add(session.id);
    out.push(depth === 0 ? session : { ...session, name: `${'  '.repeat(depth - 1)}${BRANCH}${session.name}` });
    for (const child of children.get(session.id) ?? []) visit(child, depth + 1);
  };
  for (const root of roots) visit(root, 0);
  // A cycle in the parents (never made by the engine) must not hide sessions.
  for (const session of sessions) visit(session, 0);
  return out;
}
