// A content folder that cannot be read is named with the reason the system gave: a missing
// folder, a permission refused and a file in the way are three different fixes.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ContentDirError, contentDirProblem, statContentDir } from '../../src/importer/source.js';

const errno = (code: string) => Object.assign(new Error(code), { code });

describe('a content folder that cannot be read', () => {
  it('says which of not found, permission denied or a file in the way it is', () => {
    expect(contentDirProblem('/srv/blog', errno('ENOENT'))).toBe('content folder not found: /srv/blog');
    expect(contentDirProblem('/srv/blog', errno('EACCES'))).toMatch(/^content folder not readable: \/srv\/blog \(permission denied/);
    expect(contentDirProblem('/srv/blog', errno('EPERM'))).toMatch(/permission denied/);
    expect(contentDirProblem('/srv/blog', errno('ENOTDIR'))).toMatch(/is a file, not a folder/);
    expect(contentDirProblem('/srv/blog', errno('EIO'))).toBe('content folder not readable: /srv/blog (EIO)');
  });

  it("is a ContentDirError from the file system's own answer", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'quire-content-dir-'));
    try {
      await writeFile(path.join(dir, 'file'), 'x');
      await expect(statContentDir(path.join(dir, 'file', 'blog'))).rejects.toThrow(ContentDirError);
      await expect(statContentDir(path.join(dir, 'file', 'blog'))).rejects.toThrow(/a part of .* is a file, not a folder/);
      await expect(statContentDir(path.join(dir, 'nowhere'))).rejects.toThrow(/^content folder not found/);
      expect((await statContentDir(dir)).isDirectory()).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
