/**
 * Which browser origins may open a socket: only this engine's own loopback origin, so a web
 * page cannot drive the engine or spend the player's credits. Terminal clients send no Origin.
 */
export function isAllowedOrigin(origin: string | undefined, port: number): boolean {
  if (origin === undefined) return true;
  const allowed = [`http://127.0.0.1:${port}`, `http://localhost:${port}`, `http://[::1]:${port}`];
  return allowed.includes(origin.trim().toLowerCase());
}
