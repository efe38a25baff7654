// Entry for serving: database -> buildApp -> listen -> graceful close on SIGINT/SIGTERM.
import type { FastifyInstance } from 'fastify';
import { buildApp } from './api/app.js';
import type { Config } from './config.js';
import type { Db } from './db/client.js';

export interface RunningServer {
  app: FastifyInstance;
  url: string;
  /** Resolves once the server has stopped after a signal (or stop()). */
  closed: Promise<void>;
  stop(): Promise<void>;
}

export async function serve(config: Config, db: Db, onClose: () => Promise<void>): Promise<RunningServer> {
  const app = await buildApp({ db, logger: { level: config.logLevel } });
  const url = await app.listen({ host: config.host, port: config.port });
  let stopping: Promise<void> | undefined;
  let resolveClosed: () => void;
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
  // In-flight requests finish; new connections are refused; then the pool closes.
  const stop = () =>
    (stopping ??= (async () => {
      app.log.info('shutting down');
      await app.close();
      await db.$disconnect();
      await onClose();
      resolveClosed();
    })());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stop());
  return { app, url, closed, stop };
}
