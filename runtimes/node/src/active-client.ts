// The one configured client, shared by the public API and the framework integrations.
import type { PixelClient } from './pixel-client.js';

let current: PixelClient | null = null;

export function activeClient(): PixelClient | null {
  return current;
}

export function setActiveClient(client: PixelClient | null): void {
  current = client;
}
