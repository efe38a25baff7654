// Examples for the OpenAPI document: the reference article as the API returns it.
const tags = ['async', 'concurrency', 'javascript', 'python'].map((t) => ({ slug: t, name: t }));

export const POST_SUMMARY_EXAMPLE = {
  slug: 'async-programming-patterns',
  lang: 'en',
  title: 'Mastering Async Programming Patterns',
  description: 'Deep dive into asynchronous programming patterns that will level up your concurrent code.',
  excerpt: 'Asynchronous programming is essential for building responsive applications. Let\'s explore the key patterns you need to master.',
  image: null,
  url: 'https://blog.example.com/posts/async-programming-patterns',
  publishedAt: '2024-05-20T00:00:00.000Z',
  updatedAt: null,
  readingMinutes: 1,
  wordCount: 262,
  tags,
  categories: [{ slug: 'programming', name: 'Programming' }],
  authors: [],
};

export const POST_EXAMPLE = {
  ...POST_SUMMARY_EXAMPLE,
  html: '<p>Asynchronous programming is essential for building responsive applications. …</p>\n<h2 id="callbacks-the-old-way">Callbacks (The Old Way)</h2>\n…',
  toc: [
    { depth: 2, text: 'Callbacks (The Old Way)', id: 'callbacks-the-old-way' },
    { depth: 2, text: 'Promises', id: 'promises' },
  ],
  extra: {},
  aliases: [],
};

export const TAG_EXAMPLE = { slug: 'javascript', name: 'JavaScript', postCount: 12 };
