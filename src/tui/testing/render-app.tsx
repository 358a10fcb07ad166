import { render } from 'ink-testing-library';
import { expect } from 'vitest';
import { App } from '../App.tsx';
import type { AppIo } from '../app/io.ts';
import { themes, type Theme } from '../theme.ts';
import { FakeConnection, readyEvent, syncState } from './fake-connection.ts';
import { sessionStage } from './states.ts';
import { waitFor } from './wait-for.ts';

export interface FakeIo extends AppIo {
  quits: number;
  copied: string[];
  editorReturns: string | null;
  editorCalls: string[];
}

export function fakeIo(): FakeIo {
  const io: FakeIo = {
    quits: 0,
    copied: [],
    editorReturns: null,
    editorCalls: [],
    quit: () => {
      io.quits += 1;
    },
    copy: (text) => {
      io.copied.push(text);
    },
    openEditor: async (initial) => {
      io.editorCalls.push(initial);
      return io.editorReturns;
    },
  };
  return io;
}

/** Renders the App against a fake connection, connected and past the handshake. */
export async function renderApp(options: { columns?: number; rows?: number; theme?: Theme; inSession?: boolean } = {}) {
  const connection = new FakeConnection();
  const io = fakeIo();
  const app = render(<App connection={connection} theme={options.theme ?? themes.plain} io={io} columns={options.columns ?? 100} rows={options.rows ?? 30} />);
  await waitFor(() => connection.started);
  connection.setStatus({ state: 'open' });
  connection.emit(readyEvent);
  connection.emit(syncState(options.inSession ? sessionStage : {}));
  const frame = (): string => app.lastFrame() ?? '';
  const press = async (...keys: string[]): Promise<void> => {
    for (const key of keys) {
      app.stdin.write(key);
      // Let Ink flush a lone Esc (it waits a tick to tell it from an escape sequence).
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  const see = (text: string): Promise<void> => waitFor(() => expect(frame()).toContain(text));
  await see('connected');
  if (options.inSession) await waitFor(() => expect(connection.sent).toContain(`/session continue ${sessionStage.session_id}`));
  return { app, connection, io, frame, press, see };
}

export const keys = {
  enter: '\r',
  esc: '\x1b',
  tab: '\t',
  up: '\x1b[A',
  down: '\x1b[B',
  ctrlJ: '\n',
  ctrlY: '\x19',
  ctrlX: '\x18',
  ctrlC: '\x03',
  f1: '\x1bOP',
  pageUp: '\x1b[5~',
  pageDown: '\x1b[6~',
  end: '\x1b[F',
  home: '\x1b[H',
  wheelUp: '\x1b[<64;10;5M',
  backspace: '\x7f',
  altLeft: '\x1b[1;3D',
  altRight: '\x1b[1;3C',
  ctrlR: '\x12',
  ctrlT: '\x14',
  ctrlO: '\x0f',
} as const;
