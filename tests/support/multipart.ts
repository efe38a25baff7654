// A multipart/form-data body written by hand: form-data libraries strip folders from names,
// and an upload's names are paths ("posts/hello.md").
export function multipart(files: { name: string; text: string }[]): { type: string; body: Buffer } {
  const boundary = 'quire-test-boundary';
  const parts = files.map(
    (f) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${f.name}"\r\n` +
      `Content-Type: text/markdown\r\n\r\n${f.text}\r\n`,
  );
  return { type: `multipart/form-data; boundary=${boundary}`, body: Buffer.from(`${parts.join('')}--${boundary}--\r\n`) };
}
