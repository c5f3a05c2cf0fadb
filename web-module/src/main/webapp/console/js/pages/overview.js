// Overview: Redis and this node (status, readiness, breaker and its history, memory), charts of latency and
// ops/s, the fallback backlog, and activity per tenant.
import {status, readiness} from '../api.js';
import {h, fill, facts, card, badge, notice, fmt, table} from '../dom.js';
import {LiveChart, Rates} from '../chart.js';
import * as listing from '../listing.js';

// Kept while the console is open (across pages): what this console saw of the breaker and the latency.
const seen = {breaker: [], samples: [], lastState: null};
const rates = new Rates();

function breakerTone(state) {
  return state === 'CLOSED' ? 'ok' : state === 'OPEN' ? 'bad' : 'warn';
}

function memoryOf(check) {
  const d = (check && check.data) || {};
  if (d.usedMemoryBytes === undefined) return null;
  const num = v => (v === undefined || v === null || v === '' ? null : Number(v));
  return {used: num(d.usedMemoryBytes), max: num(d.maxMemoryBytes), policy: d.maxMemoryPolicy,
    percent: num(d.usedMemoryPercent), warning: d.memoryWarning || null, node: d.memoryNode || null};
}

function memoryPanel(mem) {
  if (!mem) {
    return notice('na', 'Redis memory: not available on this server (its readiness check does not report memory).');
  }
  const share = mem.max > 0 ? mem.used / mem.max : null;
  const tone = share === null ? '' : share >= 0.85 ? ' bad' : share >= 0.7 ? ' warn' : '';
  return h('div', {'data-section': 'memory'},
    h('h3', {}, 'Memory'),
    share === null ? null : h('div', {class: 'gauge' + tone, role: 'meter', 'aria-label': 'Redis used memory of maxmemory',
      'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': String(Math.round(share * 100))},
    h('span', {'data-width': String(Math.min(100, share * 100))})),
    facts([
      ['Used', fmt.bytes(mem.used)],
      ['maxmemory', mem.max > 0 ? fmt.bytes(mem.max) : 'no limit (0)'],
      ['Used of maxmemory', share === null ? '—' : fmt.pct(share)],
      ['Eviction policy', mem.policy],
      mem.node ? ['Node', mem.node] : null,
    ].filter(Boolean)),
    mem.warning ? notice('warn', 'Warning: ', mem.warning) : null,
    !mem.warning && mem.policy && mem.policy !== 'noeviction'
      ? notice('warn', `maxmemory-policy is ${mem.policy}: Redis may evict keys, and evicted queue or stream keys are lost work. Use noeviction.`)
      : null);
}

export default {
  title: () => 'Overview',
  needsTenant: false,

  render(ctx) {
    const statusBox = h('div', {class: 'panel', 'data-section': 'redis'}, h('p', {class: 'muted'}, 'Loading…'));
    const breakerBox = h('div', {class: 'panel', 'data-section': 'breaker'});
    const charts = h('div', {class: 'grid'});
    const backlogBox = h('div', {class: 'panel', 'data-section': 'fallback'});
    const tenantsBox = h('div', {class: 'panel', 'data-section': 'tenants'});
    const estimateBox = h('div', {class: 'panel', 'data-section': 'memory-estimate', hidden: !ctx.me.admin});
    fill(ctx.root,
      h('h1', {}, 'Overview'),
      h('div', {class: 'grid'}, statusBox, breakerBox),
      charts,
      backlogBox,
      tenantsBox,
      estimateBox);
    if (ctx.me.admin) renderEstimate(ctx, estimateBox);

    const latency = new LiveChart(charts, {title: 'Redis round trip (PING)', id: 'latency',
      series: [{label: 'latency'}], format: v => `${Math.round(v)} µs`});
    const ops = new LiveChart(charts, {title: 'Redis commands per second', id: 'ops',
      series: [{label: 'ops/s'}], format: v => fmt.num(Math.round(v))});
    latency.seed(seen.samples.map(s => ({at: s.at, values: [s.latency]})));
    ops.seed(seen.samples.map(s => ({at: s.at, values: [s.ops]})));
    ctx.signal.addEventListener('abort', () => {
      latency.destroy();
      ops.destroy();
    });

    ctx.every(ctx.refreshMs, async () => {
      const [st, ready] = await Promise.all([status(ctx.signal), readiness(ctx.signal).catch(e => ({failed: e}))]);
      const metrics = ctx.me.admin ? await listing.metrics(ctx.api, ctx.signal) : null;
      ctx.clearError();
      const now = Date.now();
      const b = st.breaker;
      if (seen.lastState !== b.state) {
        seen.breaker.unshift({at: new Date().toISOString(), state: b.state, since: b.since, lastError: b.lastError});
        seen.breaker.length = Math.min(seen.breaker.length, 50);
        seen.lastState = b.state;
      }
      let opsPerSec = null;
      ops.box.hidden = !(metrics && metrics.samples);
      if (metrics && metrics.samples) {
        const instant = listing.sum(metrics.samples, 'crew_redis_ops_per_second');
        const total = listing.sum(metrics.samples, 'crew_redis_commands_processed_total');
        opsPerSec = instant !== null ? instant : rates.rate('ops', total, now);
      }
      seen.samples.push({at: now / 1000, latency: st.latencyMicros, ops: opsPerSec});
      if (seen.samples.length > 180) seen.samples.shift();
      latency.push([st.redisReachable ? st.latencyMicros : null]);
      ops.push([opsPerSec]);

      const check = ready && ready.checks ? ready.checks.find(c => c.name === 'redis') : null;
      let readyText;
      if (ready === null) readyText = badge('not served on this port', null);
      else if (ready.failed) readyText = badge('unknown: ' + ctx.describe(ready.failed), 'warn');
      else readyText = badge(ready.status, ready.status === 'UP' ? 'ok' : 'bad');
      fill(statusBox,
        h('h2', {}, 'Redis and this node'),
        h('div', {class: 'cards'},
          card('Readiness', ready && !ready.failed ? ready.status : '—', ready && ready.status === 'UP' ? null : 'bad', 'readiness'),
          card('Redis', st.redisReachable ? 'reachable' : 'unreachable', st.redisReachable ? null : 'bad', 'reachable'),
          card('Round trip', st.redisReachable ? `${fmt.num(st.latencyMicros)} µs` : '—', null, 'latency'),
          card('Breaker', b.state, b.state === 'CLOSED' ? null : 'bad', 'breaker')),
        facts([
          ['Readiness (/health/ready)', readyText],
          ['Redis version', st.serverVersion],
          ['Mode', st.mode],
          ['Target', h('span', {class: 'mono'}, st.target)],
          ['Key prefix', h('span', {class: 'mono'}, st.keyPrefix)],
          ['Serving from the fallback', st.fallbackActive ? badge('yes', 'bad') : badge('no', 'ok')],
          ['Lua scripts registered', fmt.num(st.scripts)],
        ]),
        ready === null ? notice('na', 'Readiness is not served on this port (WildFly serves /health on its management port); the status above comes from /crew/api/v1/status.') : null,
        memoryPanel(check ? memoryOf(check) : null));
      for (const bar of statusBox.querySelectorAll('.gauge > span[data-width]')) bar.style.width = bar.dataset.width + '%';

      const transitions = metrics && metrics.samples
        ? listing.sum(metrics.samples, 'crew_redis_breaker_transitions_total', {}, 'to') : null;
      fill(breakerBox,
        h('h2', {}, 'Circuit breaker'),
        facts([
          ['State', badge(b.state, breakerTone(b.state))],
          ['Since', fmt.time(b.since)],
          ['Consecutive failures', fmt.num(b.consecutiveFailures)],
          ['Last error', b.lastError],
          ['Last error at', fmt.time(b.lastErrorAt)],
        ]),
        transitions && transitions.size
          ? h('p', {class: 'small'}, 'Transitions on this node since it started: ',
            [...transitions.entries()].map(([to, n]) => `${fmt.num(n)} to ${to}`).join(', '), '.')
          : null,
        h('h3', {}, 'History seen by this console'),
        table([{label: 'Seen at'}, {label: 'State'}, {label: 'Since'}, {label: 'Last error'}],
          seen.breaker.map(e => [fmt.time(e.at), badge(e.state, breakerTone(e.state)), fmt.time(e.since), e.lastError || '—']),
          'No change seen yet.', 'Breaker history'));

      if (!ctx.me.admin) {
        fill(backlogBox, h('h2', {}, 'Fallback backlog'),
          notice('na', 'The fallback buffers and journal are reported by the metrics, which the admin group may read.'));
      } else if (!metrics) {
        fill(backlogBox, h('h2', {}, 'Fallback backlog'), notice('na', 'Metrics: not available on this server.'));
      } else if (metrics.error) {
        fill(backlogBox, h('h2', {}, 'Fallback backlog'), notice('error', 'Metrics: ' + metrics.error));
      } else {
        const buffered = listing.sum(metrics.samples, 'crew_fallback_buffered', {}, 'component');
        const journal = listing.sum(metrics.samples, 'crew_fallback_journal_records', {}, 'component');
        const comps = [...new Set([...buffered.keys(), ...journal.keys()])].sort();
        fill(backlogBox, h('h2', {}, 'Fallback backlog'),
          h('p', {class: 'muted small'}, 'Writes this node accepted while Redis was down and has not written back yet.'),
          table([{label: 'Component'}, {label: 'Buffered', num: true}, {label: 'Journal records', num: true}],
            comps.map(c => [c, fmt.num(buffered.get(c) || 0), fmt.num(journal.get(c) || 0)]), 'Nothing buffered.', 'Fallback backlog'));
      }
      await renderTenants(ctx, tenantsBox, metrics, now);
    });
  },
};

/** Admin: the memory estimate per tenant and component (GET /admin/memory, a bounded scan), on demand. */
function renderEstimate(ctx, box) {
  const out = h('div', {id: 'memory-estimate'});
  const run = async () => {
    fill(out, h('p', {class: 'muted'}, 'Estimating…'));
    try {
      const r = await ctx.api.optional('admin/memory', {kind: 'memory estimate'});
      if (r === null) {
        fill(out, notice('na', 'The memory estimate is not available on this server.'));
        return;
      }
      const size = share => `${fmt.bytes(share.bytes)}${share.standardError ? ` ± ${fmt.bytes(2 * share.standardError)}` : ''}`;
      fill(out,
        h('p', {class: 'small'}, `${fmt.num(r.total.keys)} keys, ${size(r.total)} in all`,
          r.scan.complete ? '' : ` (keys extrapolated from ${fmt.pct(r.scan.coverage)} of the keyspace)`,
          h('span', {class: 'muted'}, ` — ${fmt.num(r.cost.roundTrips)} round trips, ${fmt.num(r.cost.millis)} ms; ± is two standard errors`)),
        h('div', {class: 'grid'},
          table([{label: 'Tenant'}, {label: 'Keys', num: true}, {label: 'Memory', num: true}],
            [...r.tenants.map(t => [t.tenant, fmt.num(t.keys), size(t)]),
              ...(r.otherTenants && r.otherTenants.tenants ? [[`${r.otherTenants.tenants} other tenants`, fmt.num(r.otherTenants.keys), size(r.otherTenants)]] : [])],
            'No tenant keys.', 'Memory per tenant'),
          table([{label: 'Component'}, {label: 'Keys', num: true}, {label: 'Memory', num: true}],
            r.components.map(c => [c.name, fmt.num(c.keys), size(c)]), 'No keys.', 'Memory per component')));
    } catch (e) {
      fill(out, notice('error', ctx.describe(e)));
    }
  };
  fill(box, h('h2', {}, 'Memory per tenant'),
    h('p', {class: 'muted small'}, 'Samples keys with MEMORY USAGE after a bounded SCAN of every master: it costs Redis some work, so it runs when asked.'),
    h('div', {class: 'actions'}, h('button', {type: 'button', id: 'estimate-memory', onclick: run}, 'Estimate memory')), out);
}

async function renderTenants(ctx, box, metrics, now) {
  if (ctx.me.admin) {
    const page = await listing.tenants(ctx.api, {limit: 200});
    if (page === null) {
      fill(box, h('h2', {}, 'Tenants'), notice('na', 'The list of tenants is not available on this server; type a tenant id in the switch above.'));
      return;
    }
    ctx.suggestTenants(page.tenants);
    const enq = metrics && metrics.samples ? listing.sum(metrics.samples, 'crew_tasks_enqueued_total', {}, 'tenant') : new Map();
    const depth = metrics && metrics.samples ? listing.sum(metrics.samples, 'crew_tasks_depth', {state: 'pending'}, 'tenant') : new Map();
    const running = metrics && metrics.samples ? listing.sum(metrics.samples, 'crew_tasks_depth', {state: 'running'}, 'tenant') : new Map();
    const dead = metrics && metrics.samples ? listing.sum(metrics.samples, 'crew_tasks_depth', {state: 'dead'}, 'tenant') : new Map();
    const published = metrics && metrics.samples ? listing.sum(metrics.samples, 'crew_events_published_total', {}, 'tenant') : new Map();
    const val = (m, t) => (m.has(t) ? fmt.num(m.get(t)) : '—');
    const perSec = (key, total) => {
      const r = total === undefined ? null : rates.rate(key, total, now);
      return r === null ? '—' : r.toFixed(1);
    };
    fill(box, h('h2', {}, `Tenants (${fmt.num(page.total)})`),
      h('p', {class: 'muted small'}, 'Task counts come from Redis; rates are of this node, between two refreshes. ',
        'Tenants beyond the metrics\' per-tenant limit are counted under _other.'),
      table([{label: 'Tenant'}, {label: 'Pending', num: true}, {label: 'Running', num: true}, {label: 'Dead', num: true},
        {label: 'Enqueued/s', num: true}, {label: 'Published/s', num: true}],
      [...page.tenants, ...(enq.has('_other') || depth.has('_other') ? ['_other'] : [])].map(t => [
        t === '_other' ? h('span', {class: 'muted'}, 'other tenants') : h('a', {href: `#/${encodeURIComponent(t)}/overview`}, t),
        val(depth, t), val(running, t), val(dead, t),
        perSec('enq.' + t, enq.get(t)), perSec('pub.' + t, published.get(t))]),
      'No tenant has data yet.', 'Tenants'),
      page.nextCursor ? h('p', {class: 'muted small'}, 'The first 200 tenants are shown.') : null);
    return;
  }
  if (!ctx.tenant) {
    fill(box);
    return;
  }
  const page = await listing.queues(ctx.api, ctx.tenant, {limit: 20});
  if (page === null) {
    fill(box, h('h2', {}, `Tenant ${ctx.tenant}`), notice('na', 'The list of queues is not available on this server; open a queue on the Queues page.'));
    return;
  }
  fill(box, h('h2', {}, `Queues of ${ctx.tenant}`),
    table([{label: 'Queue'}, {label: 'Pending', num: true}, {label: 'Running', num: true}, {label: 'Scheduled', num: true},
      {label: 'Dead', num: true}, {label: 'Paused'}],
    page.queues.map(q => [h('a', {href: ctx.href('queues', q.queue)}, q.queue),
      fmt.num(q.stats && q.stats.pending), fmt.num(q.stats && q.stats.running), fmt.num(q.stats && q.stats.scheduled),
      fmt.num(q.stats && q.stats.dead), q.stats && q.stats.paused ? badge('paused', 'warn') : 'no']),
    'No queue yet.', 'Queues'));
}
