// The blog the Ghost layer's tests read: /v1's test blog (drafts, a scheduled post, a
// translation) plus a featured post with Ghost's front-matter fields, and a page.
import supertest from 'supertest';
import type { AppDeps } from '../../src/api/app.js';
import { buildApp } from '../../src/api/app.js';
import { testDeps, type TestApp } from '../support/app.js';
import { BLOG } from '../support/blog.js';
import { post } from '../support/content.js';
import type { TestDatabase } from '../support/postgres.js';

export const GHOST_KEY = '0123456789abcdef0123456789';
/** A second configured key: QUIRE_GHOST_CONTENT_KEYS may list several. */
export const SECOND_KEY = '6789abcdef0123456789abcdef';
/** A well-formed key the server does not know. */
export const OTHER_KEY = 'fedcba9876543210fedcba9876';

export const GHOST_BLOG = {
  ...BLOG,
  'featured.md': post(
    'ghost-ready',
    {
      title: 'Ghost ready',
      description: 'A custom excerpt',
      date: '2024-06-01T10:30:00Z',
      featured: true,
      tags: ['News', 'JavaScript'],
      authors: ['Grace', 'Ada'],
      meta_title: 'Meta title',
      og_title: 'OG title',
      canonical: 'https://elsewhere.example.com/ghost-ready/',
    },
    'Featured **text**.\n',
  ),
  // No author: Ghost's shape shows the site's ("Test blog").
  'pages/about.md': post('about', { title: 'About us', date: undefined, tags: ['News'] }, 'Who we are.\n'),
  'quiet.md': post('quiet-post', { title: 'A quiet post', date: '2024-01-10', tags: ['Python'] }, 'Nobody signed this.\n'),
};

/** Public English posts, newest first, as /v1/posts?lang=en lists them. */
export const NEWEST_FIRST = ['ghost-ready', 'zen-of-code', 'release-notes', 'py-async', 'js-async', 'quiet-post', 'js-intro'];

/**
 * An app with the Ghost layer on, listening on a real port: TEST_GHOST_PORT (a session's own,
 * e.g. 3450), else one the system picks.
 */
export async function startGhostApp(t: TestDatabase, extra: Partial<AppDeps> = {}, portOffset = 0): Promise<TestApp & { url: string }> {
  const deps = testDeps(t, { ghost: { keys: [GHOST_KEY, SECOND_KEY], limitAll: false }, ...extra });
  const app = await buildApp({ ...deps, onClose: () => deps.reader.close() });
  const base = Number(process.env.TEST_GHOST_PORT ?? 0);
  const url = await app.listen({ host: '127.0.0.1', port: base ? base + portOffset : 0 });
  return { app, http: supertest(app.server), url };
}
