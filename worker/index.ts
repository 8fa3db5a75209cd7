// Cloudflare Workers entry point.
import { createApp } from './app.ts';

const app = createApp();

export default app;
export { WebhookLedger } from './durable/webhook-ledger.ts';
