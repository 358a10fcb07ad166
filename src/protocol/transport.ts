/**
 * Default engine port and WebSocket path (protocol.md, Transport). In a file of their own so a
 * launcher can name them without loading the frame schemas.
 */
export const DEFAULT_PORT = 8000;
export const RPC_PATH = '/ws/rpc';
