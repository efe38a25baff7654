// The admin upload takes media files with the Markdown (POST /v1/admin/imports, multipart):
// stored like imported ones, and served.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startApp, TEST_API_URL, type TestApp } from '../support/app.js';
import { DEFAULT_IMPORTER, post } from '../support/content.js';
import { createTestDatabase, type TestDatabase, truncateAll } from '../support/postgres.js';
import { png, sha256 } from './images.js';
import { makeSite, type Site } from './site.js';

const TOKEN = 'admin-token-0123456789abcdef';
const auth = { authorization: `Bearer ${TOKEN}` };
let t: TestDatabase;
let site: Site;
let api: TestApp;

beforeAll(async () => {
  t = await createTestDatabase();
  site = await makeSite({ 'content/.keep': '' });
  api = await startApp(t, { token: TOKEN, contentDir: site.content, importer: DEFAULT_IMPORTER });
});
afterAll(async () => {
  await api.app.close();
  await site.cleanup();
  await t.drop();
});
afterEach(async () => {
  await truncateAll(t.db);
});

/** multipart/form-data by hand: form-data libraries strip the folders from file names. */
function multipart(files: { name: string; bytes: Buffer }[]) {
  const boundary = 'quire-media-boundary';
  const parts = files.map((f) =>
    Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${f.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      f.bytes,
      Buffer.from('\r\n'),
    ]),
  );
  return { type: `multipart/form-data; boundary=${boundary}`, body: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]) };
}

describe('POST /v1/admin/imports with media', () => {
  it("stores an uploaded bundle's image and serves the post with its media URL", async () => {
    const pic = await png(640, 480);
    const upload = multipart([
      { name: 'posts/x/index.md', bytes: Buffer.from(post('x', {}, '![a picture](pic.png)\n')) },
      { name: 'posts/x/pic.png', bytes: pic },
    ]);
    const res = await api.http.post('/v1/admin/imports').set(auth).type(upload.type).send(upload.body).expect(200);
    expect(res.body).toMatchObject({ warnings: [], media: { files: 1, stored: 1, removed: 0 } });
    const { body } = await api.http.get('/v1/posts/x').expect(200);
    const src = `${TEST_API_URL}/v1/media/${sha256(pic)}/pic.png`;
    expect(body.data.html).toContain(`src="${src}"`);
    expect(body.data.html).toContain('width="640" height="480"');
    const served = await api.http.get(src.slice(TEST_API_URL.length)).expect(200);
    expect(served.headers['content-type']).toBe('image/png');
  });

  it("finds a site-absolute file in the content folder's static folders when the upload does not hold it", async () => {
    const logo = await png(32, 32, [9, 9, 9]);
    await site.write('static/images/logo.png', logo);
    const upload = multipart([{ name: 'posts/z.md', bytes: Buffer.from(post('z', {}, '![logo](/images/logo.png)\n')) }]);
    const res = await api.http.post('/v1/admin/imports').set(auth).type(upload.type).send(upload.body).expect(200);
    expect(res.body).toMatchObject({ warnings: [], media: { files: 1, stored: 1 } });
    const { body } = await api.http.get('/v1/posts/z').expect(200);
    expect(body.data.html).toContain(`src="${TEST_API_URL}/v1/media/${sha256(logo)}/logo.png"`);
  });

  it('refuses an uploaded image that is not one, naming it, and writes nothing', async () => {
    const upload = multipart([
      { name: 'posts/y/index.md', bytes: Buffer.from(post('y', {}, '![broken](broken.png)\n')) },
      { name: 'posts/y/broken.png', bytes: Buffer.from('not an image at all') },
    ]);
    const res = await api.http.post('/v1/admin/imports').set(auth).type(upload.type).send(upload.body).expect(422);
    expect(JSON.stringify(res.body)).toContain('broken.png');
    expect(await t.db.post.count()).toBe(0);
    expect(await t.db.media.count()).toBe(0);
  });
});
