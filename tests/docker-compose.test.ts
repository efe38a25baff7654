// No Docker engine runs here, so the compose file and Dockerfile are checked for the
// structure a `docker compose up` relies on.
import { access, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../src/config.js';

const read = (file: string) => readFile(new URL(`../${file}`, import.meta.url), 'utf8');

interface Service {
  image?: string;
  build?: unknown;
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}

describe('docker-compose.yml', () => {
  it('runs PostgreSQL with a health check, and the API once it is healthy', async () => {
    const { services, volumes } = parse(await read('docker-compose.yml')) as {
      services: Record<string, Service>;
      volumes: Record<string, unknown>;
    };
    const { postgres, api } = services;
    expect(postgres?.image).toMatch(/^postgres:1[5-9]/);
    expect(postgres?.healthcheck?.test.join(' ')).toContain('pg_isready');
    expect(postgres?.volumes?.[0]?.split(':')[0]).toBeDefined();
    expect(volumes).toHaveProperty(postgres!.volumes![0]!.split(':')[0]!);

    expect(api?.build).toBe('.');
    expect(api?.depends_on?.postgres?.condition).toBe('service_healthy');
  });

  it('points the API at that PostgreSQL with a configuration Quire accepts', async () => {
    const { services } = parse(await read('docker-compose.yml')) as { services: Record<string, Service> };
    const pg = services.postgres!.environment!;
    const env = services.api!.environment!;
    const url = new URL(env.DATABASE_URL!);
    expect(url.hostname).toBe('postgres');
    expect(url.port).toBe('5432');
    expect(decodeURIComponent(url.username)).toBe(pg.POSTGRES_USER);
    expect(decodeURIComponent(url.password)).toBe(pg.POSTGRES_PASSWORD);
    expect(url.pathname).toBe(`/${pg.POSTGRES_DB}`);

    const config = loadConfig(env);
    expect(config.host).toBe('0.0.0.0');
    expect(services.api!.ports).toContain(`${config.port}:${config.port}`);
    expect(services.api!.volumes).toContain(`./content:${env.QUIRE_CONTENT_DIR}:ro`);
  });
});

describe('Dockerfile', () => {
  it('builds from the lock file and starts the main job on the exposed port', async () => {
    const dockerfile = await read('Dockerfile');
    expect(dockerfile).toMatch(/^FROM node:20/m);
    expect(dockerfile).toMatch(/RUN npm ci/);
    expect(dockerfile).toMatch(/^EXPOSE 3000$/m);
    expect(dockerfile).toMatch(/^CMD \["node", "bin\/quire\.js", "start"\]$/m);
    // Every file the build copies exists.
    for (const [, files] of dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)) {
      for (const file of files!.split(/\s+/)) await expect(access(new URL(`../${file}`, import.meta.url))).resolves.toBeUndefined();
    }
  });
});
