import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 15_000,
    restoreMocks: true,
    reporters: ['default', 'json'],
    outputFile: { json: 'out/test-report.json' },
  },
});
