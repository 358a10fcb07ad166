import { useCallback, useRef, useState } from 'react';
import { initialViewState, reduce } from '../state/reducer.ts';
import type { Action, ViewState } from '../state/types.ts';

/**
 * Like useReducer, but the latest state is readable at once through `current()`: several
 * keys or frames handled in one tick each see the state the previous one produced.
 */
export function useViewState(configPath?: string): { state: ViewState; dispatch: (action: Action) => void; current: () => ViewState } {
  const ref = useRef<ViewState | null>(null);
  ref.current ??= { ...initialViewState(), configPath: configPath ?? null };
  const [state, setState] = useState<ViewState>(ref.current);
  const dispatch = useCallback((action: Action) => {
    const next = reduce(ref.current ?? initialViewState(), action);
    if (next === ref.current) return;
    ref.current = next;
    setState(next);
  }, []);
  const current = useCallback(() => ref.current ?? initialViewState(), []);
  return { state, dispatch, current };
}
