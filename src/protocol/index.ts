export * from './envelope.ts';
export * from './commands.ts';
export * from './events.ts';
export * from './context-manifest.ts';
export * from './frames.ts';
export { DEFAULT_PORT, RPC_PATH } from './transport.ts';
