/**
 * Live updates for the dashboard over server-sent events (GET /api/stream): every stored event and
 * every status change is pushed as `event: change` with the issue's id. Per process: behind a load
 * balancer a dashboard sees the changes of the process it is connected to (and reloads on focus).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

const heartbeatMs = 25_000;

export class LiveFeed {
  private readonly clients = new Set<ServerResponse>();

  open(request: IncomingMessage, response: ServerResponse): void {
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    response.write('retry: 2000\n\n');
    this.clients.add(response);
    // A comment now and then keeps proxies from closing an idle stream.
    const heartbeat = setInterval(() => response.write(': ping\n\n'), heartbeatMs).unref();
    request.on('close', () => {
      clearInterval(heartbeat);
      this.clients.delete(response);
    });
  }

  publish(change: { issueId: number; kind: 'event' | 'status' }): void {
    // Called for every stored event: nothing to build while no dashboard is open.
    if (this.clients.size === 0) return;
    const message = `event: change\ndata: ${JSON.stringify(change)}\n\n`;
    for (const client of this.clients) client.write(message);
  }

  /** Ends every stream, so the server can close. */
  close(): void {
    for (const client of this.clients) client.end();
    this.clients.clear();
  }
}
