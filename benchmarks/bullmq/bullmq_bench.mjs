// BullMQ through the scenarios TasksBenchmark runs, for a side-by-side comparison with TaskQueue. One scenario per
// process, so peak RSS is per scenario. Normally started by run.sh beside it (which installs the pinned packages and
// starts a private redis-server); by hand, after `npm ci` in this folder:
//   node bullmq_bench.mjs <scenario> [--n N] [--conc C] [--prio] [--keep] [--port 6391]
// scenarios:
//   bulk     : addBulk N jobs in batches of 1000 -> add jobs/s
//   drain    : addBulk N jobs, then Worker(concurrency C, no-op) drains them -> completed jobs/s
//   addloop  : N sequential `await queue.add()` -> jobs/s
//   addpar   : N `queue.add()` issued without awaiting each (Promise.all) -> jobs/s
// --prio gives each job a random priority 1..10; --keep uses default job options
// (completed jobs are kept) instead of removeOnComplete:true.
// Redis CPU (INFO cpu) and commands (INFO stats) per job are measured around the add and the process phases.
// Prints one JSON line.
import { Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { createRequire } from 'module';

const argv = process.argv.slice(2);
const scenario = argv[0];
const opt = (k, d) => { const i = argv.indexOf(k); return i >= 0 ? argv[i + 1] : d; };
const flag = (k) => argv.includes(k);
const N = parseInt(opt('--n', '50000'));
const CONC = parseInt(opt('--conc', '1'));
const PORT = parseInt(opt('--port', '6391'));
const PRIO = flag('--prio');
const KEEP = flag('--keep');
const BATCH = 1000;
const connection = { host: '127.0.0.1', port: PORT, maxRetriesPerRequest: null };
const qname = `bench-${scenario}-${process.pid}`;

const require = createRequire(import.meta.url); // the packages installed beside this script
const versions = {
  bullmq: require('bullmq/package.json').version,
  ioredis: require('ioredis/package.json').version,
  node: process.version,
};

const result = { scenario, n: N, conc: CONC, prio: PRIO, keep: KEEP, versions };
const queue = new Queue(qname, {
  connection,
  defaultJobOptions: KEEP ? {} : { removeOnComplete: true, removeOnFail: true },
});
await queue.waitUntilReady();

// Redis server CPU seconds (user+sys) and total commands, to report Redis cost per job.
const probe = new IORedis(connection);
async function counters() {
  const t = (await probe.info('cpu')) + (await probe.info('stats'));
  const g = (k) => parseFloat(new RegExp(k + ':([0-9.]+)').exec(t)[1]);
  return [g('used_cpu_sys') + g('used_cpu_user'), g('total_commands_processed')];
}
function cost(c0, c1, n, prefix) {
  result[prefix + '_redis_cpu_us_per_job'] = +(((c1[0] - c0[0]) * 1e6) / n).toFixed(2);
  result[prefix + '_redis_cmds_per_job'] = +((c1[1] - c0[1]) / n).toFixed(2);
}

const jobOpts = () => (PRIO ? { priority: 1 + Math.floor(Math.random() * 10) } : undefined);
const payload = (i) => ({ i, user: 'u' + (i % 1000), ts: Date.now() });

async function addBulkAll() {
  const c0 = await counters();
  const t0 = process.hrtime.bigint();
  for (let b = 0; b < N; b += BATCH) {
    const jobs = [];
    for (let i = b; i < Math.min(N, b + BATCH); i++) jobs.push({ name: 'j', data: payload(i), opts: jobOpts() });
    await queue.addBulk(jobs);
  }
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  cost(c0, await counters(), N, 'add');
  return secs;
}


if (scenario === 'bulk') {
  const s = await addBulkAll();
  result.add_jobs_per_s = N / s;
} else if (scenario === 'addloop') {
  const c0 = await counters();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) await queue.add('j', payload(i), jobOpts());
  result.add_jobs_per_s = N / (Number(process.hrtime.bigint() - t0) / 1e9);
  cost(c0, await counters(), N, 'add');
} else if (scenario === 'addpar') {
  const t0 = process.hrtime.bigint();
  const ps = [];
  for (let i = 0; i < N; i++) ps.push(queue.add('j', payload(i), jobOpts()));
  await Promise.all(ps);
  result.add_jobs_per_s = N / (Number(process.hrtime.bigint() - t0) / 1e9);
} else if (scenario === 'drain') {
  const s = await addBulkAll();
  result.add_jobs_per_s = N / s;
  let done = 0;
  let resolveDone;
  const finished = new Promise((r) => (resolveDone = r));
  const c0 = await counters();
  const t0 = process.hrtime.bigint();
  const worker = new Worker(qname, async () => {}, { connection, concurrency: CONC });
  worker.on('completed', () => { if (++done === N) resolveDone(); });
  worker.on('failed', (j, e) => { console.error('failed', e); });
  await finished;
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  result.completed_jobs_per_s = N / secs;
  cost(c0, await counters(), N, 'process');
  await worker.close();
} else {
  console.error('unknown scenario'); process.exit(2);
}

const r = new IORedis(connection);
const mem = await r.info('memory');
result.redis_used_memory_mb = +(parseInt(/used_memory:(\d+)/.exec(mem)[1]) / 1048576).toFixed(1);
result.redis_keys = await r.dbsize();
await r.quit();
await probe.quit();
await queue.obliterate({ force: true }).catch(() => {});
await queue.close();
result.node_peak_rss_mb = +(process.resourceUsage().maxRSS / 1024).toFixed(1);
console.log(JSON.stringify(result));
process.exit(0);
