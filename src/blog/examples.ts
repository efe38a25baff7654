// Examples for the OpenAPI document: the reference article as the API returns it.
const tags = ['async', 'concurrency', 'javascript', 'python'].map((t) => ({ slug: t, name: t }));

export const COVER_EXAMPLE = {
  url: 'https://api.example.com/v1/media/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08/cover.png',
  width: 1600,
  height: 900,
  alt: 'Threads waiting on a promise',
  type: 'image/png',
  srcset: 'https://api.example.com/v1/media/9f86…/cover.png?w=640&format=webp 640w, …',
  placeholder: 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAABcAAAAN…',
};

export const POST_SUMMARY_EXAMPLE = {
  slug: 'async-programming-patterns',
  lang: 'en',
  path: '/async-programming-patterns/',
  url: 'https://blog.example.com/async-programming-patterns/',
  title: 'Mastering Async Programming Patterns',
  description: 'Deep dive into asynchronous programming patterns that will level up your concurrent code.',
  excerpt: "Asynchronous programming is essential for building responsive applications. Let's explore the key patterns you need to master.",
  image: null,
  publishedAt: '2024-05-20T00:00:00.000Z',
  updatedAt: null,
  readingMinutes: 1,
  wordCount: 262,
  featured: false,
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
