// Summaries for run.sh and paired.sh (no dependencies).
//   node summarize.mjs <bullmq.jsonl>        one line per scenario: median jobs/s, Redis CPU per job, every rep
//   node summarize.mjs --paired <dir>        TaskQueue (java-<rep>.txt, TasksBenchmark's output) beside BullMQ
//                                            (bullmq-<rep>.jsonl) per scenario, and their ratio paired by rep
import { readFileSync, readdirSync } from 'fs';
import path from 'path';

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const f0 = (x) => (x == null || Number.isNaN(x) ? '-' : Math.round(x).toString());
const f1 = (x) => (x == null || Number.isNaN(x) ? '-' : x.toFixed(1));
const f2 = (x) => (x == null || Number.isNaN(x) ? '-' : x.toFixed(2));

/** A scenario's key and label, shared by both sides so lines pair up. */
function scenario(kind, conc, prio, keep) {
  const p = prio ? ', random priorities' : '';
  if (kind === 'bulk') return { key: `bulk|${prio}`, label: `bulk enqueue${p}` };
  if (kind === 'drain') {
    return { key: `drain|${conc}|${prio}|${keep}`, label: `drain, concurrency ${conc}${p}${keep ? ', completed kept' : ''}` };
  }
  return { key: kind, label: kind };
}

function readBullmq(file) {
  return readFileSync(file, 'utf8').split('\n').filter((l) => l.startsWith('{')).map((l) => {
    const r = JSON.parse(l);
    const s = scenario(r.scenario, r.conc, r.prio, r.keep);
    const drain = r.scenario === 'drain';
    return {
      ...s,
      versions: r.versions,
      rate: drain ? r.completed_jobs_per_s : r.add_jobs_per_s,
      cpuAdd: r.add_redis_cpu_us_per_job,
      cpuProcess: r.process_redis_cpu_us_per_job,
      cpuTotal: drain ? r.add_redis_cpu_us_per_job + r.process_redis_cpu_us_per_job : r.add_redis_cpu_us_per_job,
    };
  });
}

function readJava(file) {
  const out = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    let m = /^bulk enqueue \(enqueueAll, 500 per script(, random priorities)?\)\s+([\d.]+) tasks\/s.*Redis CPU\s+([\d.]+) µs\/task/.exec(line);
    if (m) {
      out.push({ ...scenario('bulk', 0, !!m[1], false), rate: +m[2], cpuTotal: +m[3] });
      continue;
    }
    m = /^drain, concurrency (\d+)(, random priorities)?\s+([\d.]+) tasks\/s.*Redis CPU\s+([\d.]+) µs\/task process,\s+([\d.]+) add\+process/.exec(line);
    if (m) {
      out.push({ ...scenario('drain', +m[1], !!m[2], false), rate: +m[3], cpuProcess: +m[4], cpuTotal: +m[5] });
    }
  }
  return out;
}

function group(rows) {
  const g = new Map();
  for (const r of rows) {
    if (!g.has(r.key)) g.set(r.key, []);
    g.get(r.key).push(r);
  }
  return g;
}

if (process.argv[2] !== '--paired') {
  const rows = readBullmq(process.argv[2]);
  if (rows.length === 0) {
    console.error('no results');
    process.exit(1);
  }
  const v = rows[0].versions;
  console.log(`# BullMQ ${v.bullmq}, ioredis ${v.ioredis}, Node ${v.node}; medians over reps; Redis CPU from INFO cpu`);
  for (const [, rs] of group(rows)) {
    const cpu = rs[0].cpuProcess == null
      ? `Redis CPU ${f1(median(rs.map((r) => r.cpuAdd)))} µs/job add`
      : `Redis CPU ${f1(median(rs.map((r) => r.cpuAdd)))} add + ${f1(median(rs.map((r) => r.cpuProcess)))} process µs/job`;
    console.log(`${('bullmq ' + rs[0].label).padEnd(56)} ${f0(median(rs.map((r) => r.rate))).padStart(8)} jobs/s   ${cpu}`
      + `   reps: ${rs.map((r) => f0(r.rate)).join(' ')}`);
  }
} else {
  const dir = process.argv[3];
  const files = readdirSync(dir);
  const reps = files.filter((f) => /^java-\d+\.txt$/.test(f)).map((f) => +/\d+/.exec(f)[0]).sort((a, b) => a - b);
  const pairs = new Map(); // key -> [{label, crew, bull}]
  let versions;
  for (const rep of reps) {
    const bullFile = path.join(dir, `bullmq-${rep}.jsonl`);
    if (!files.includes(path.basename(bullFile))) continue;
    const bull = new Map(readBullmq(bullFile).map((r) => [r.key, r]));
    for (const crew of readJava(path.join(dir, `java-${rep}.txt`))) {
      const b = bull.get(crew.key);
      if (!b) continue;
      versions = b.versions;
      if (!pairs.has(crew.key)) pairs.set(crew.key, []);
      pairs.get(crew.key).push({ label: crew.label, crew, bull: b });
    }
  }
  if (pairs.size === 0) {
    console.error('no paired results in ' + dir);
    process.exit(1);
  }
  console.log(`# TaskQueue beside BullMQ ${versions.bullmq} (ioredis ${versions.ioredis}, Node ${versions.node}), `
    + `${reps.length} reps; rate ratio = TaskQueue/BullMQ paired by rep: median (min-max); `
    + 'Redis CPU µs per task, add + process');
  console.log(`${'scenario'.padEnd(40)} ${'TaskQueue/s'.padStart(11)} ${'BullMQ/s'.padStart(9)}  ${'ratio'.padEnd(19)} Redis CPU crew / BullMQ`);
  for (const [, ps] of pairs) {
    const ratios = ps.map((p) => p.crew.rate / p.bull.rate);
    const cpuRatios = ps.map((p) => p.crew.cpuTotal / p.bull.cpuTotal);
    console.log(`${ps[0].label.padEnd(40)} ${f0(median(ps.map((p) => p.crew.rate))).padStart(11)} `
      + `${f0(median(ps.map((p) => p.bull.rate))).padStart(9)}  `
      + `${(f2(median(ratios)) + 'x (' + f2(Math.min(...ratios)) + '-' + f2(Math.max(...ratios)) + ')').padEnd(19)} `
      + `${f1(median(ps.map((p) => p.crew.cpuTotal)))} / ${f1(median(ps.map((p) => p.bull.cpuTotal)))} µs `
      + `(${f2(median(cpuRatios))}x)`);
  }
}
