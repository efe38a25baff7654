import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEARCH_CANDIDATES } from '../../src/blog/lists.queries.js';
import { startApp, type TestApp } from '../support/app.js';
import { loadBlog } from '../support/blog.js';
import { type ContentDir, post } from '../support/content.js';
import { createTestDatabase, type TestDatabase, useTestDatabase } from '../support/postgres.js';

const t = useTestDatabase();
let api: TestApp;
let content: ContentDir;

const FILES = {
  'in-title.md': post('in-title', { title: 'Kubernetes basics', date: '2024-01-01', tags: ['ops'] }, 'Containers and clusters.\n'),
  'in-description.md': post(
    'in-description',
    { title: 'Deploying apps', description: 'With kubernetes', date: '2024-02-01' },
    'Ship it.\n',
  ),
  'in-body.md': post(
    'in-body',
    { title: 'Weekly notes', date: '2024-03-01', tags: ['ops'] },
    'This week I read about kubernetes and running services.\n',
  ),
  'loop.md': post('event-loop', { title: 'The event loop', date: '2024-04-01', tags: ['python'] }, 'Python asyncio runs an event loop.\n'),
  'loop-js.md': post(
    'loop-js',
    { title: 'Loops in JS', date: '2024-05-01', tags: ['javascript'] },
    'An event handler and a for loop: not the same event loop? It is the loop of events.\n',
  ),
  'escape.md': post(
    'escape',
    { title: 'Escaping', date: '2024-06-01' },
    'Never write `<script>alert(1)</script>` into kubernetes pages.\n',
  ),
  'fr.md': post('fr-post', { title: 'Les conteneurs', date: '2024-07-01', lang: 'fr' }, 'Nous déployons des conteneurs.\n'),
  'draft.md': post('draft-k8s', { title: 'Kubernetes secrets', date: '2024-08-01', draft: true }),
};

beforeAll(async () => {
  api = await startApp(t);
  ({ content } = await loadBlog(t.db, FILES));
});
afterAll(async () => {
  await api.app.close();
  await content.cleanup();
});

const search = async (query: string) => (await api.http.get(`/v1/search?${query}`).expect(200)).body;
const slugs = async (query: string) => (await search(query)).data.map((p: { slug: string }) => p.slug);

describe('full-text search', () => {
  it('ranks a match in the title above one in the description above one in the body', async () => {
    const { data } = await search('q=kubernetes');
    expect(data.map((p: { slug: string }) => p.slug)).toEqual(['in-title', 'in-description', 'escape', 'in-body']);
    expect(data[0].rank).toBeGreaterThan(data[1].rank);
    expect(data[1].rank).toBeGreaterThan(data[3].rank);
  });

  it("stems words in the post's language", async () => {
    expect(await slugs('q=run')).toEqual(['event-loop', 'in-body']);
    expect(await slugs('q=conteneur&lang=fr')).toEqual(['fr-post']);
  });

  it('takes phrases, exclusions and or', async () => {
    expect((await slugs('q="event loop"')).sort()).toEqual(['event-loop', 'loop-js']);
    expect(await slugs('q="event loop" -python')).toEqual(['loop-js']);
    expect((await slugs('q=asyncio or clusters')).sort()).toEqual(['event-loop', 'in-title']);
  });

  it("highlights matches in snippets, with the body's text escaped", async () => {
    const { data } = await search('q=kubernetes');
    expect(data.find((p: { slug: string }) => p.slug === 'in-body').snippet).toContain('read about <mark>kubernetes</mark>');
    const escaped = data.find((p: { slug: string }) => p.slug === 'escape').snippet;
    expect(escaped).toContain('&lt;script&gt;');
    expect(escaped).not.toContain('<script');
  });

  it("combines with the list's filters, and is the list's q too", async () => {
    expect(await slugs('q=kubernetes&tag=ops')).toEqual(['in-title', 'in-body']);
    const list = await api.http.get('/v1/posts?q=kubernetes&sort=-publishedAt').expect(200);
    expect(list.body.data.map((p: { slug: string }) => p.slug)).toEqual(['escape', 'in-body', 'in-description', 'in-title']);
    expect(list.body.data[0]).toHaveProperty('snippet');
  });

  it('never finds drafts, and finds nothing for stop words alone', async () => {
    expect(await slugs('q=secrets')).toEqual([]);
    expect(await slugs('q=the')).toEqual([]);
  });

  it('needs q, pages by page or cursor in relevance order, and refuses over-long queries', async () => {
    const missing = await api.http.get('/v1/search').expect(400);
    expect(missing.body.errors[0]).toMatchObject({ name: 'q' });
    // A cursor walks the same ranked order as the pages do.
    const ranked = (await search('q=kubernetes&limit=10')).data.map((p: { slug: string }) => p.slug);
    const walked: string[] = [];
    for (let url: string | null = '/v1/search?q=kubernetes&limit=1&cursor='; url;) {
      const res: { body: { data: { slug: string }[]; links: { next: string | null } } } = await api.http.get(url).expect(200);
      walked.push(...res.body.data.map((p: { slug: string }) => p.slug));
      url = res.body.links.next;
    }
    expect(walked).toEqual(ranked);
    await api.http.get(`/v1/search?q=${'x'.repeat(201)}`).expect(400);
    const page2 = await search('q=kubernetes&limit=2&page=2');
    expect(page2.data.map((p: { slug: string }) => p.slug)).toEqual(['escape', 'in-body']);
    expect(page2.meta.total).toBe(4);
  });
});

describe('search on a blog where a word is everywhere', () => {
  // More matches than a search ranks (SEARCH_CANDIDATES): the ranked ones come first, title
  // and description matches before the rest; every match is still found, counted and paged.
  const COUNT = SEARCH_CANDIDATES + 40;
  let big: TestDatabase;
  let bigApi: TestApp;
  let bigContent: ContentDir;

  beforeAll(async () => {
    big = await createTestDatabase();
    bigApi = await startApp(big);
    const files: Record<string, string> = {
      // The oldest post of all: only its title says "gadget".
      'oldest.md': post('gadget-history', { title: 'A gadget history', date: '2001-01-01' }, 'Nothing else here.\n'),
    };
    for (let i = 0; i < COUNT; i++) {
      const day = new Date(Date.UTC(2020, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
      files[`p${i}.md`] = post(
        `post-${i}`,
        { title: `Note ${i}`, date: day },
        `Today a gadget${i % 3 ? '' : ' and another gadget, gadget'} again.\n`,
      );
    }
    ({ content: bigContent } = await loadBlog(big.db, files));
  }, 120_000);
  afterAll(async () => {
    await bigApi.app.close();
    await bigContent.cleanup();
    await big.drop();
  });

  it('ranks the title match first, counts every match, and pages through all of them once', async () => {
    const first = (await bigApi.http.get('/v1/search?q=gadget&limit=100').expect(200)).body;
    expect(first.meta.total).toBe(COUNT + 1);
    expect(first.data[0].slug).toBe('gadget-history');
    const ranks: number[] = first.data.map((p: { rank: number }) => p.rank);
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
    const seen = new Set<string>();
    let url = '/v1/search?q=gadget&limit=100&cursor=';
    for (let i = 0; i < 10 && url; i++) {
      const page = (await bigApi.http.get(url).expect(200)).body;
      for (const p of page.data) {
        expect(seen.has(p.slug), p.slug).toBe(false);
        seen.add(p.slug);
      }
      url = page.links.next;
    }
    expect(seen.size).toBe(COUNT + 1);
    // Past the ranked candidates, the newest first, with rank 0.
    const last = (await bigApi.http.get(`/v1/search?q=gadget&limit=20&page=${SEARCH_CANDIDATES / 20 + 1}`).expect(200)).body;
    expect(last.data).toHaveLength(20);
    expect(last.data.every((p: { rank: number }) => p.rank === 0)).toBe(true);
    const dates = last.data.map((p: { publishedAt: string }) => p.publishedAt);
    expect(dates).toEqual([...dates].sort().reverse());
    // Past the end: no items, and still the total.
    const past = (await bigApi.http.get('/v1/search?q=gadget&limit=100&page=9').expect(200)).body;
    expect(past).toMatchObject({ data: [], meta: { total: COUNT + 1 } });
  });
});
