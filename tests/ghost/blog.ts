// The blog the Ghost layer's tests read: /v1's test blog (drafts, a scheduled post, a
// translation) plus a featured post with Ghost's front-matter fields, and a page.
import { BLOG } from '../support/blog.js';
import { post } from '../support/content.js';

export const GHOST_KEY = '0123456789abcdef0123456789';
export const OTHER_KEY = 'fedcba9876543210fedcba9876';

export const GHOST_BLOG = {
  ...BLOG,
  'featured.md': post('ghost-ready', {
    title: 'Ghost ready',
    description: 'A custom excerpt',
    date: '2024-06-01T10:30:00Z',
    featured: true,
    tags: ['News', 'JavaScript'],
    authors: ['Grace', 'Ada'],
    meta_title: 'Meta title',
    og_title: 'OG title',
    canonical: 'https://elsewhere.example.com/ghost-ready/',
  }, 'Featured **text**.\n'),
  'pages/about.md': post('about', { title: 'About us', date: undefined, tags: ['News'] }, 'Who we are.\n'),
};

/** Public English posts, newest first, as /v1/posts?lang=en lists them. */
export const NEWEST_FIRST = ['ghost-ready', 'zen-of-code', 'release-notes', 'py-async', 'js-async', 'js-intro'];
