import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('loadConfig', () => {
  it('defaults to the embedded database on localhost:3000', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ databaseUrl: undefined, host: 'localhost', port: 3000, logLevel: 'info' });
    expect(c.contentDir).toBe(path.resolve('content'));
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('reads PostgreSQL and the port from the environment; empty means unset', () => {
    const c = loadConfig({ DATABASE_URL: 'postgresql://u@db:5432/quire', PORT: '8080', HOST: '' });
    expect(c).toMatchObject({ databaseUrl: 'postgresql://u@db:5432/quire', port: 8080, host: 'localhost' });
  });

  it('finds the generator by itself unless QUIRE_GENERATOR names one', () => {
    expect(loadConfig({}).importer.generator).toBeUndefined();
    expect(loadConfig({ QUIRE_GENERATOR: 'auto' }).importer.generator).toBeUndefined();
    expect(loadConfig({ QUIRE_GENERATOR: 'hugo' }).importer.generator).toBe('hugo');
    expect(() => loadConfig({ QUIRE_GENERATOR: 'gatsby' })).toThrow(/QUIRE_GENERATOR: must be auto, none or one of hugo/);
  });

  it('keeps embeds from video players and playgrounds by default, or the hosts QUIRE_EMBED_HOSTS lists', () => {
    expect(loadConfig({}).importer.embedHosts).toEqual(
      expect.arrayContaining(['youtube.com', 'youtube-nocookie.com', 'player.vimeo.com', 'codepen.io']),
    );
    expect(loadConfig({ QUIRE_EMBED_HOSTS: 'Example.com, player.example.org' }).importer.embedHosts).toEqual([
      'example.com',
      'player.example.org',
    ]);
    expect(loadConfig({ QUIRE_EMBED_HOSTS: 'none' }).importer.embedHosts).toEqual([]);
    expect(() => loadConfig({ QUIRE_EMBED_HOSTS: 'https://x.com/' })).toThrow(/QUIRE_EMBED_HOSTS/);
  });

  it("reads key names of the site's own for Quire's fields from QUIRE_FIELD_KEYS", () => {
    expect(loadConfig({}).importer.fieldKeys).toEqual({});
    expect(loadConfig({ QUIRE_FIELD_KEYS: 'title:newstitle, authors:byline,authors:Writer' }).importer.fieldKeys).toEqual({
      title: ['newstitle'],
      authors: ['byline', 'writer'],
    });
    expect(() => loadConfig({ QUIRE_FIELD_KEYS: 'headline:x' })).toThrow(/QUIRE_FIELD_KEYS: "headline:x" is not field:key/);
  });

  it('names every invalid variable', () => {
    const bad = () => loadConfig({ DATABASE_URL: 'mysql://x', PORT: 'eighty', LOG_LEVEL: 'loud' });
    expect(bad).toThrow(ConfigError);
    expect(bad).toThrow(/DATABASE_URL[\s\S]*PORT[\s\S]*LOG_LEVEL/);
  });

  it('bounds database waits by default, and takes the statement timeout from the query timeout', () => {
    expect(loadConfig({}).dbTimeouts).toEqual({ connectMs: 5_000, queryMs: 10_000, statementMs: 10_000 });
    expect(loadConfig({ QUIRE_DB_QUERY_TIMEOUT: '30' }).dbTimeouts).toMatchObject({ queryMs: 30_000, statementMs: 30_000 });
    expect(loadConfig({ QUIRE_DB_STATEMENT_TIMEOUT: '0', QUIRE_DB_CONNECT_TIMEOUT: '1.5' }).dbTimeouts).toMatchObject({
      connectMs: 1_500,
      statementMs: 0,
    });
    expect(() => loadConfig({ QUIRE_DB_CONNECT_TIMEOUT: '0' })).toThrow(/QUIRE_DB_CONNECT_TIMEOUT/);
    expect(loadConfig({}).shutdownTimeoutMs).toBe(8_000);
  });

  it('reads replicas and metrics settings: off and none by default, bad values named', () => {
    expect(loadConfig({})).toMatchObject({ replicas: { urls: [], maxWaitMs: 500 }, metrics: { enabled: false, token: undefined } });
    const c = loadConfig({
      QUIRE_READ_DATABASE_URL: 'postgresql://r1/quire, postgres://r2:5433/quire',
      QUIRE_REPLICA_MAX_WAIT: '0.25',
      QUIRE_METRICS: 'on',
      QUIRE_METRICS_TOKEN: 'a-metrics-token-of-length',
    });
    expect(c.replicas).toEqual({ urls: ['postgresql://r1/quire', 'postgres://r2:5433/quire'], maxWaitMs: 250 });
    expect(c.metrics).toEqual({ enabled: true, token: 'a-metrics-token-of-length', public: false });
    expect(loadConfig({ QUIRE_METRICS: 'public' }).metrics).toEqual({ enabled: true, token: undefined, public: true });
    expect(loadConfig({}).metrics).toMatchObject({ enabled: false });
    expect(() => loadConfig({ QUIRE_READ_DATABASE_URL: 'mysql://r1/quire', QUIRE_METRICS: 'yes', QUIRE_METRICS_TOKEN: 'short' })).toThrow(
      /QUIRE_READ_DATABASE_URL[\s\S]*QUIRE_METRICS[\s\S]*QUIRE_METRICS_TOKEN/,
    );
  });
});
