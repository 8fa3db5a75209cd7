// Runs in workerd before each worker test file: the monitoring schema
// (migrations/, read by vitest.config.ts) applied to the real local D1
// binding, as `npm start` and `wrangler d1 migrations apply` apply it.
import { env } from 'cloudflare:workers';
import { applyD1Migrations } from 'cloudflare:test';

await applyD1Migrations(env.MONITOR!, env.TEST_MIGRATIONS);
