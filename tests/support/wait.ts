/**
 * Checks `condition` until it holds, failing after `timeoutMs`: for effects that arrive
 * asynchronously (a NOTIFY reaching another process). Never a fixed sleep standing in for
 * "probably done".
 */
export async function waitFor<T>(condition: () => Promise<T | undefined | false>, timeoutMs = 5_000, intervalMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await condition();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs} ms${last instanceof Error ? `: ${last.message}` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
