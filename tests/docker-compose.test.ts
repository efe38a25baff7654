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
  stop_grace_period?: string;
}

const seconds = (duration: string) => Number(/^(\d+)s$/.exec(duration)?.[1] ?? NaN);
/** `docker stop` waits this long before SIGKILL, unless told otherwise. */
const DOCKER_STOP_GRACE_S = 10;

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

  it('gives the API longer to stop than its own shutdown deadline', async () => {
    const { services } = parse(await read('docker-compose.yml')) as { services: Record<string, Service> };
    const api = services.api!;
    const grace = seconds(api.stop_grace_period ?? `${DOCKER_STOP_GRACE_S}s`);
    expect(grace).toBe(15);
    expect(loadConfig(api.environment).shutdownTimeoutMs / 1000).toBeLessThan(grace);
  });
});

describe('Dockerfile', () => {
  const stages = async () => (await read('Dockerfile')).split(/^(?=FROM )/m).filter((s) => s.startsWith('FROM'));

  it('builds from the lock file and starts the main job on the exposed port', async () => {
    const dockerfile = await read('Dockerfile');
    expect(dockerfile).toMatch(/RUN npm ci/);
    expect(dockerfile).toMatch(/^EXPOSE 3000$/m);
    expect(dockerfile).toMatch(/^CMD \["node", "bin\/quire\.js", "start"\]$/m);
    // Every file the build copies exists.
    for (const [, files] of dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)) {
      for (const file of files!.split(/\s+/)) await expect(access(new URL(`../${file}`, import.meta.url))).resolves.toBeUndefined();
    }
  });

  it('runs on Node.js 24 LTS, which package.json engines accept, as node with a data folder it owns', async () => {
    const all = await stages();
    for (const stage of all) expect(stage).toMatch(/^FROM node:24-bookworm-slim\b/);
    const engines = (JSON.parse(await read('package.json')) as { engines: { node: string } }).engines.node;
    expect(engines.split('||').map((r) => r.trim())).toEqual(expect.arrayContaining(['^22.12', '>=24']));

    const runtime = all.at(-1)!;
    expect(runtime).toMatch(/^USER node$/m);
    const dataDir = /QUIRE_DATA_DIR=(\S+)/.exec(runtime)?.[1];
    expect(dataDir).toBeDefined();
    // Made before USER node, and given to it: the embedded database can create its files.
    expect(runtime).toMatch(new RegExp(`^RUN mkdir -p ${dataDir} && chown node:node ${dataDir}$`, 'm'));
    expect(runtime.indexOf('chown node:node')).toBeLessThan(runtime.indexOf('USER node'));
  });

  it('ships production dependencies only, installed without the dev and optional-peer trees', async () => {
    const all = await stages();
    const runtime = all.at(-1)!;
    // node_modules comes from a stage that never installed dev dependencies, not a pruned copy.
    const from = /^COPY --from=(\S+) \/app\/node_modules/m.exec(runtime)?.[1];
    const deps = all.find((s) => s.startsWith(`FROM node:24-bookworm-slim AS ${from}`));
    expect(deps).toBeDefined();
    expect(deps).toMatch(/npm ci --omit=dev --omit=optional --omit=peer --ignore-scripts/);
    expect(deps).toMatch(/slim-node-modules\.sh dist/);
  });

  it('probes /readyz on $PORT, read when the check runs, and stops inside docker stop', async () => {
    const runtime = (await stages()).at(-1)!;
    const check = /^HEALTHCHECK[\s\S]*?\n\s+CMD (.+)$/m.exec(runtime)?.[1];
    expect(check).toBeDefined();
    expect(check).not.toMatch(/^\[/); // shell form: the shell expands $PORT
    expect(check).toContain('${PORT:-3000}/readyz');
    expect(check).not.toMatch(/:3000\//);
    const env = Object.fromEntries([...runtime.matchAll(/(\w+)=(\S+)/g)].map(([, k, v]) => [k!, v!]));
    expect(loadConfig({ QUIRE_SHUTDOWN_TIMEOUT: env.QUIRE_SHUTDOWN_TIMEOUT! }).shutdownTimeoutMs / 1000).toBeLessThan(DOCKER_STOP_GRACE_S);
    expect(loadConfig({}).shutdownTimeoutMs / 1000).toBeLessThan(DOCKER_STOP_GRACE_S);
  });
});
