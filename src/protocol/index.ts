export * from './envelope.ts';
export * from './commands.ts';
export * from './events.ts';
export * from './context-manifest.ts';
export * from './frames.ts';

/** Default engine port and WebSocket path (protocol.md, Transport). */
export const DEFAULT_PORT = 8000;
export const RPC_PATH = '/ws/rpc';
