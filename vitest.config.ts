import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{shared,server,electron,renderer,scripts}/**/*.test.{ts,tsx}'],
    environment: 'node',
    // Server and session tests start real HTTP servers and a real keychain; give them time on 2 cores.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
