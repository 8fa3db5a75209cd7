// A crew (trainer/parallel/crew.ts) holds the pool's workers on one job for
// many short steps: every item of every step runs exactly once, on the
// caller or a worker; a worker that fails or dies mid-step ends the crew with
// its reason, promptly; and the pool serves the next job as before.
import { afterEach, beforeAll, expect, it } from 'vitest';
import { openCrew } from '../../trainer/parallel/crew.ts';
import { configureParallel, parallelSettings, startWorkers, workerItemCount } from '../../trainer/parallel/pool.ts';
import { crewProbe } from '../../trainer/parallel/tasks.ts';

const initial = parallelSettings();
afterEach(() => configureParallel(initial));
beforeAll(() => startWorkers(1));

const probe = (items: number) => ({ counts: new Int32Array(new SharedArrayBuffer(3 * items * 4)), items });

it('runs every item of every step once, the worker taking part', () => {
  configureParallel({ threads: 2, minWork: 0 });
  const before = workerItemCount();
  for (let round = 0; round < 500; round++) {
    const args = probe(40);
    const crew = openCrew('test:crew-probe', crewProbe, args, 2);
    // Steps of every size, back to back: the handover between steps is where a crew can go wrong.
    crew.run(0, 1 + (round % 40));
    crew.close();
    for (let i = 0; i < 40; i++) expect(args.counts[i]).toBe(i <= round % 40 ? 1 : 0);
  }
  expect(workerItemCount()).toBeGreaterThan(before);
});

it('runs many steps in one crew, each item once', () => {
  configureParallel({ threads: 2, minWork: 0 });
  const items = 7;
  const counts = new Int32Array(new SharedArrayBuffer(items * 4));
  const crew = openCrew('test:crew-probe', crewProbe, { counts, items: 0 }, 2);
  for (let step = 0; step < 2000; step++) crew.run(0, items);
  crew.close();
  // Step op 0 counts item i at 0·0 + i: every step adds one to each of the first `items` counts.
  expect([...counts]).toEqual(Array(items).fill(2000));
});

it("ends with a worker's error, naming the task", () => {
  configureParallel({ threads: 2, minWork: 0 });
  const crew = openCrew('test:crew-probe', crewProbe, probe(2000), 2);
  crew.run(0, 10);
  expect(() => {
    crew.run(1, 2000);
    crew.close();
  }).toThrow(/worker thread 1 failed in test:crew-probe: Error: crew probe failed on item \d+/);
});

it('ends promptly when a worker dies mid-step, and the pool goes on', () => {
  configureParallel({ threads: 2, minWork: 0 });
  startWorkers(1);
  const crew = openCrew('test:crew-probe', crewProbe, probe(20_000), 2);
  const started = Date.now();
  expect(() => {
    crew.run(2, 20_000);
    crew.close();
  }).toThrow('worker thread 1 died during test:crew-probe, with items of it unfinished: the thread exited with code 5');
  expect(Date.now() - started).toBeLessThan(5000);
  startWorkers(1);
  const args = probe(50);
  const again = openCrew('test:crew-probe', crewProbe, args, 2);
  again.run(0, 50);
  again.close();
  expect([...args.counts.subarray(0, 50)]).toEqual(Array(50).fill(1));
});
