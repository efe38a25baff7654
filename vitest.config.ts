import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/support/global-setup.ts'],
    // Each test file gets its own database cloned from a migrated template, so files run
    // in parallel without seeing each other's rows.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
