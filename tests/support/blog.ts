// A small blog with known answers, for tests that only read. Built in a file's beforeAll,
// removed in its afterAll; the tests in between do not change it.
import { afterAll, beforeAll } from 'vitest';
import type { Db } from '../../src/db/client.js';
import { startApp, type TestApp } from './app.js';
import { type ContentDir, contentDir, importDir, post } from './content.js';
import { createTestDatabase, type TestDatabase } from './postgres.js';

export const BLOG = {
  'js-intro.md': post(
    'js-intro',
    {
      title: 'JavaScript for beginners',
      description: 'Start here',
      date: '2024-01-01',
      updated: '2024-06-01',
      tags: ['JavaScript', 'Beginners'],
      categories: ['Tutorials'],
      author: 'Ada',
    },
    'Variables and functions.\n\n## Variables\n\nUse const.\n',
  ),
  'js-async.md': post(
    'js-async',
    {
      title: 'Async JavaScript',
      date: '2024-02-01',
      tags: ['JavaScript', 'Async'],
      categories: ['Tutorials'],
      author: 'Ada',
    },
    'Promises and await. See [the intro](js-intro.md).\n',
  ),
  'py-async.md': post(
    'py-async',
    {
      title: 'Python asyncio',
      date: '2024-03-01',
      tags: ['Python', 'Async'],
      categories: ['Tutorials'],
      author: 'Grace',
      aliases: ['/2024/03/python-async-old/', 'python-async-old'],
    },
    'The event loop in Python, compared with JavaScript.\n',
  ),
  'news.md': post(
    'release-notes',
    {
      title: 'Release notes',
      date: '2024-04-01',
      updated: '2024-04-02',
      tags: ['News'],
      categories: ['News'],
      author: 'Grace',
      image: 'cover.jpg',
    },
    'We shipped things.\n',
  ),
  'opinion.md': post(
    'zen-of-code',
    {
      title: 'Zen of code',
      date: '2024-05-01',
      tags: ['Opinion', 'JavaScript'],
      categories: ['Opinion'],
      author: 'Ada',
      cover: { image: '/img/zen.png' },
    },
    'Less is more.\n',
  ),
  'fr/intro.md': post('js-intro', { title: 'JavaScript pour débutants', date: '2024-01-02', tags: ['JavaScript'] }, 'Bonjour.\n'),
  'draft.md': post('secret-draft', { title: 'Secret draft', date: '2024-01-15', draft: true, tags: ['JavaScript', 'Hidden'] }),
  'future.md': post('from-the-future', { title: 'From the future', date: '2999-01-01', tags: ['JavaScript'] }),
};

/** Public English posts, newest first. */
export const EN_NEWEST_FIRST = ['zen-of-code', 'release-notes', 'py-async', 'js-async', 'js-intro'];

export async function loadBlog(db: Db, files: Record<string, string> = BLOG) {
  const content = await contentDir(files);
  const summary = await importDir(db, content.dir);
  return { content, summary };
}

/**
 * For a test file that only reads: a database of its own holding BLOG and an app over it,
 * made before the file's tests and removed after them.
 */
export function useBlogApi(): { readonly http: TestApp['http'] } {
  let t: TestDatabase;
  let api: TestApp;
  let content: ContentDir;
  beforeAll(async () => {
    t = await createTestDatabase();
    api = await startApp(t);
    ({ content } = await loadBlog(t.db));
  });
  afterAll(async () => {
    await api.app.close();
    await content.cleanup();
    await t.drop();
  });
  return {
    get http() {
      return api.http;
    },
  };
}
