import type { AnyServerEvent } from '../../protocol/index.ts';
import { initialViewState, reduce } from '../state/reducer.ts';
import type { Action, ViewState } from '../state/types.ts';
import { syncState } from './fake-connection.ts';

/** View states for component tests, built through the reducer so they are ones the app can reach. */
export function stateFrom(actions: Action[]): ViewState {
  return actions.reduce(reduce, initialViewState());
}

export const server = (event: AnyServerEvent, at = 0): Action => ({ type: 'server', event, at });

export const sessionStage = {
  world_id: 'eldoria',
  character_id: 'aria',
  model: 'openai/gpt-4o-mini',
  model_confirmed: true,
  session_id: 'abc123def456',
  active_rules: ['grim'],
};

export function playingState(extra: Action[] = []): ViewState {
  return stateFrom([{ type: 'connection', status: { state: 'open' }, at: 0 }, server(syncState(sessionStage)), { type: 'resync_sent' }, ...extra]);
}
