// A site's project as generators lay it out: hugo.toml at the top, Markdown under content/,
// site-absolute files under static/. Files may be text or bytes.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface Site {
  root: string;
  /** The content folder, what the importer is pointed at. */
  content: string;
  /** Writes a file, relative to the project (e.g. "content/blog/a/index.md", "static/images/x.png"). */
  write(file: string, data: string | Buffer): Promise<void>;
  remove(file: string): Promise<void>;
  cleanup(): Promise<void>;
}

export async function makeSite(files: Record<string, string | Buffer> = {}): Promise<Site> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'quire-media-'));
  const write = async (file: string, data: string | Buffer) => {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), data);
  };
  await write('hugo.toml', 'title = "A site"\n');
  for (const [file, data] of Object.entries(files)) await write(file, data);
  return {
    root,
    content: path.join(root, 'content'),
    write,
    remove: (file) => rm(path.join(root, file)),
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
}
