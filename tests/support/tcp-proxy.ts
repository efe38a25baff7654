// A TCP proxy in front of PostgreSQL that can, on command, stop forwarding without closing
// anything: the silent network partition that no error announces.
import net from 'node:net';

export interface TcpProxy {
  port: number;
  /** `url` with its host and port replaced by the proxy's. */
  via(url: string): string;
  /** From now on, bytes are dropped both ways and new connections get no answer. */
  blackHole(): void;
  /** Forwards again (connections opened meanwhile stay dead, as after a real partition). */
  restore(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let holed = false;
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const server = net.createServer((client) => {
    track(client);
    if (holed) return; // accepted, never answered
    const upstream = net.connect(target.port, target.host);
    track(upstream);
    let dead = false;
    const forward = (from: net.Socket, to: net.Socket) => {
      from.on('data', (chunk: Buffer) => {
        if (holed) dead = true;
        if (!dead) to.write(chunk);
      });
      from.on('close', () => {
        if (!holed && !dead) to.destroy();
      });
    };
    forward(client, upstream);
    forward(upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    via(url) {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    blackHole: () => (holed = true),
    restore: () => (holed = false),
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
