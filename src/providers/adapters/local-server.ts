/**
 * Shared shape of the local servers (LM Studio, llama.cpp, Ollama, KoboldCpp): their `base_url`
 * is the server address, with or without `/v1`; chat goes through their OpenAI-compatible `/v1`.
 */
import type { Connection } from '../adapter.ts';
import { trimSlash } from '../listing.ts';

export const loopback = (port: number): string => `http://127.0.0.1:${port}`;

export const serverRoot = (url: string): string => trimSlash(url).replace(/\/v1$/, '');

export const openAiPath = (connection: Connection): Connection => ({ ...connection, baseUrl: `${serverRoot(connection.baseUrl)}/v1` });
