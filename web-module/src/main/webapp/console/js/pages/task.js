// One task: state, payload, result, error and its stack, attempts, progress, times, the lease holder while it runs,
// a flow's parent and children; cancel (pending, scheduled, waiting retry or waiting for children) and retry (dead).
import {seg} from '../api.js';
import {h, fill, update, facts, badge, notice, fmt, table} from '../dom.js';
import * as listing from '../listing.js';

const FINAL = ['SUCCEEDED', 'DEAD', 'CANCELLED'];
const CANCELLABLE = ['PENDING', 'SCHEDULED', 'FAILED', 'WAITING_CHILDREN'];

function stateTone(s) {
  return s === 'SUCCEEDED' ? 'ok' : s === 'DEAD' ? 'bad' : s === 'CANCELLED' ? null : 'warn';
}

export default {
  title: ctx => `Task ${ctx.args[2]}`,

  render(ctx) {
    const [queue, , id] = ctx.args;
    const base = `tenants/${seg(ctx.tenant)}/queues/${seg(queue)}`;
    const body = h('div', {id: 'task-detail'}, h('p', {class: 'muted'}, 'Loading…'));
    const actions = h('div', {class: 'actions'});
    fill(ctx.root,
      h('p', {class: 'small'}, h('a', {href: ctx.href('queues', queue)}, `← Queue ${queue}`)),
      h('h1', {}, 'Task ', h('span', {class: 'mono'}, id)),
      actions, body);

    let lease = null;
    const refresh = async () => {
      const t = await ctx.api.get(`${base}/tasks/${seg(id)}`, {signal: ctx.signal});
      ctx.clearError();
      lease = null;
      if (t.state === 'RUNNING') {
        const running = await listing.tasks(ctx.api, ctx.tenant, queue, 'running', {limit: 500});
        const found = running && running.tasks.find(x => x.id === id);
        lease = running === null ? 'na' : found && found.lease ? found.lease : null;
      }
      update(actions, {state: t.state}, () => [
        CANCELLABLE.includes(t.state) ? h('button', {type: 'button', class: 'danger', id: 'cancel-task', 'data-key': 'cancel',
          onclick: async () => {
            if (!(await ctx.confirm(`Cancel task ${id}? It will not run.`, 'Cancel task'))) return;
            await ctx.act(() => ctx.api.del(`${base}/tasks/${seg(id)}`), `Task ${id} cancelled.`);
            await refresh();
          }}, 'Cancel') : null,
        t.state === 'DEAD' ? h('button', {type: 'button', class: 'primary', id: 'retry-task', 'data-key': 'retry',
          onclick: async () => {
            await ctx.act(() => ctx.api.post(`${base}/dead/${seg(id)}/retry`), `Task ${id} is pending again.`);
            await refresh();
          }}, 'Retry') : null,
      ]);
      update(body, {t, lease}, () => [
        h('div', {class: 'panel'},
          facts([
            ['State', badge(t.state, stateTone(t.state))],
            ['Name', h('span', {class: 'mono'}, t.name)],
            ['Priority', t.priority],
            ['Attempts', `${t.attempts} of ${t.maxAttempts}`],
            ['Progress', t.progress ? h('span', {}, h('progress', {max: '100', value: String(t.progress.percent),
              'aria-label': 'progress'}), ` ${t.progress.percent} %`, t.progress.message ? ` — ${t.progress.message}` : '',
            h('span', {class: 'muted small'}, ` (at ${fmt.time(t.progress.at)})`)) : null],
            ['Lease holder', t.state !== 'RUNNING' ? 'not running' : lease === 'na'
              ? 'not available on this server' : lease ? `${lease.holder} (until ${fmt.time(lease.expiresAt)})` : '—'],
            ['Created', fmt.time(t.createdAt)],
            ['Runs at', fmt.time(t.runAt)],
            ['Started', fmt.time(t.startedAt)],
            ['Finished', fmt.time(t.finishedAt)],
            ['Idempotency key', t.idempotencyKey],
            ['Flow parent', t.parentId ? h('a', {href: ctx.href('queues', queue, 'tasks', t.parentId), class: 'mono'}, t.parentId) : null],
            ['On a child\'s failure', t.flowPolicy],
          ])),
        h('div', {class: 'grid'},
          h('div', {class: 'panel'}, h('h2', {}, 'Payload'), h('pre', {id: 'task-payload'}, fmt.json(t.payload))),
          h('div', {class: 'panel'}, h('h2', {}, 'Result'), h('pre', {id: 'task-result'}, fmt.json(t.result)))),
        t.lastError ? h('div', {class: 'panel'}, h('h2', {}, 'Last error'), notice('error', t.lastError),
          t.errorStack ? h('details', {}, h('summary', {}, 'Stack trace'), h('pre', {}, t.errorStack)) : null) : null,
        t.children && t.children.length ? h('div', {class: 'panel'}, h('h2', {}, `Children (${t.children.length})`),
          table([{label: 'Child'}, {label: 'Name'}, {label: 'Outcome'}, {label: 'Result or error'}],
            t.children.map(c => [h('a', {href: ctx.href('queues', queue, 'tasks', c.id), class: 'mono'}, c.id),
              h('span', {class: 'mono'}, c.name), c.outcome ? badge(c.outcome, stateTone(c.outcome)) : 'running or waiting',
              c.error || (c.result === null || c.result === undefined ? '—' : fmt.json(c.result))]),
            '', 'Children')) : null,
        FINAL.includes(t.state) ? null : h('p', {class: 'muted small'}, `Refreshed every ${ctx.refreshMs / 1000} s.`),
      ]);
    };
    ctx.every(ctx.refreshMs, refresh);
  },
};
