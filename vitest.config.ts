// Tests are found by the path of what they test (test/model, test/trainer,
// test/worker, test/dashboard, test/browser); the runtime is a project:
// worker and dashboard tests run inside workerd (the real runtime, real KV
// bindings from wrangler.toml), the rest in plain Node, as does any
// `*.node.test.ts` beside the workerd tests.
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        plugins: [
          cloudflareTest(async () => ({
            wrangler: { configPath: './wrangler.toml' },
            // Test-only secrets (the keys and secrets themselves are in test/support/keys.ts).
            miniflare: {
              bindings: {
                API_KEY_HASHES:
                  'e4d0ba83a7bb3b27b60f5d38bf97b473e1bd5425591f6937d5f6d6a731f16e33,edd313ef5202adfa9a18b90bc61b5e5d028cfe28e7fa42b4d9ced296d3d02f37',
                WEBHOOK_SECRET: 'whsec_ZWRnZXNlZy10ZXN0LXdlYmhvb2stc2VjcmV0LTAwMDE=',
                FORWARD_SECRET: 'whsec_ZWRnZXNlZy10ZXN0LWZvcndhcmQtc2VjcmV0LTAwMDE=',
                ALERT_SECRET: 'whsec_ZWRnZXNlZy10ZXN0LWFsZXJ0LXNlY3JldC0wMDAwMQ==',
                RECEIPT_SECRET: 'edgeseg-test-receipt-secret-0001',
                // Flush counts to D1 right after each request (the default waits 25 s).
                MONITOR_FLUSH_SECONDS: '0',
                // Exposures are written right after the request that made them.
                EXPERIMENT_FLUSH_SECONDS: '0',
                // The D1 schema, applied to the MONITOR binding by test/support/apply-migrations.ts.
                TEST_MIGRATIONS: await readD1Migrations('./migrations'),
              },
            },
          })),
        ],
        test: {
          name: 'worker',
          include: ['test/worker/**/*.test.ts', 'test/dashboard/**/*.test.ts'],
          exclude: ['**/*.node.test.ts'],
          globalSetup: ['test/support/worker-global-setup.ts'],
          setupFiles: ['test/support/apply-migrations.ts'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'node',
          include: [
            'test/model/**/*.test.ts',
            'test/trainer/**/*.test.ts',
            'test/browser/**/*.test.ts',
            'test/**/*.node.test.ts',
          ],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
