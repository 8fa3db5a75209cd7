// The bindings and exports tests see through `import { env, exports } from 'cloudflare:workers'`.
import type { Env as WorkerEnv } from '../../worker/env.ts';

declare global {
  namespace Cloudflare {
    interface Env extends WorkerEnv {
      /** The D1 migrations (migrations/), for test/support/apply-migrations.ts. */
      TEST_MIGRATIONS: import('cloudflare:test').D1Migration[];
    }
    interface GlobalProps {
      mainModule: typeof import('../../worker/index.ts');
    }
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** The bundled sample's model, trained in Node by global-setup.ts. */
    sampleModel: string;
    /** A second model (k = 3) for activation and rollback tests. */
    altModel: string;
    /** The bundled sample as the edgeseg.model/1 trainer wrote it (test/fixtures), for stored older models. */
    sampleModelV1: string;
    /** Raw records and the Node scorer's results for them (the parity test). */
    parity: {
      records: Record<string, unknown>[];
      expected: { segment: number; scores: Record<string, number>; projection: [number, number] }[];
      /** Each record's `purchased` label in the sample (true: "yes"), for live accuracy tests. */
      labels: boolean[];
    };
  }
}
