// Listening on HOST:PORT, and what to say when that fails. Kept apart from the server so
// the CLI can check the port before it loads the server (and spends seconds migrating).
import net from 'node:net';

/** The server could not listen: the port is taken, not allowed, or HOST is not this machine's. */
export class ListenError extends Error {
  override name = 'ListenError';
}

export function listenMessage(err: NodeJS.ErrnoException, host: string, port: number): string {
  switch (err.code) {
    case 'EADDRINUSE':
      return `port ${port} on ${host} is already in use; set PORT to a free port`;
    case 'EACCES':
      return `not allowed to listen on port ${port} on ${host} (ports below 1024 need privileges); set PORT to a free port above 1023`;
    case 'EADDRNOTAVAIL':
      return `${host} is not an address of this machine; set HOST to one of its addresses (0.0.0.0 for all)`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot resolve HOST ${host}; set HOST to an address or name of this machine`;
    default:
      return `cannot listen on ${host}:${port}: ${err.message}`;
  }
}

/**
 * Fails at once when the port is taken, before `start` spends its time migrating and
 * importing. Only a shortcut: another process may still take the port before the server
 * listens, and that listen error says the same.
 */
export async function checkPort(host: string, port: number): Promise<void> {
  if (port === 0) return;
  const probe = net.createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject);
      probe.listen({ host, port, exclusive: true }, resolve);
    });
  } catch (err) {
    throw new ListenError(listenMessage(err as NodeJS.ErrnoException, host, port), { cause: err });
  }
  await new Promise((resolve) => probe.close(resolve));
}
