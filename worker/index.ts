// Cloudflare Workers entry point.
import { createWorker } from './app.ts';
import type { Env } from './env.ts';

export default createWorker() satisfies ExportedHandler<Env>;
export { WebhookLedger } from './durable/webhook-ledger.ts';
