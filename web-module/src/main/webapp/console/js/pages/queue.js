// One queue: counts by state, throughput and wait-time charts, pause/resume, tasks by state a page at a time,
// dead letters with retry (one, or all after a confirmation), recurring tasks, and a form to enqueue a task.
import {ApiError, seg} from '../api.js';
import {h, fill, update, invalidate, card, badge, notice, fmt, table, uid} from '../dom.js';
import {LiveChart, Rates} from '../chart.js';
import * as listing from '../listing.js';

const STATES = [['pending', 'Pending'], ['scheduled', 'Scheduled'], ['failed', 'Waiting retry'], ['running', 'Running']];

function taskLink(ctx, queue, id) {
  return h('a', {href: ctx.href('queues', queue, 'tasks', id), class: 'mono', 'data-key': 'task:' + id}, id);
}

/** POSTs every id with a pause and retry on 429 (the API's write budget), reporting progress. */
async function eachPaced(ctx, ids, call, progress) {
  let done = 0;
  const failed = [];
  for (const id of ids) {
    if (ctx.signal.aborted) break;
    for (;;) {
      try {
        await call(id);
        done += 1;
        break;
      } catch (e) {
        if (e instanceof ApiError && e.status === 429) {
          await new Promise(r => setTimeout(r, Math.max(1, e.retryAfter || 1) * 1000));
          continue;
        }
        failed.push(`${id}: ${ctx.describe(e)}`);
        break;
      }
    }
    progress(done, failed.length);
  }
  return {done, failed};
}

export default {
  title: ctx => `Queue ${ctx.args[0]}`,

  render(ctx) {
    const queue = ctx.args[0];
    ctx.recent.add('queues', queue);
    const base = `tenants/${seg(ctx.tenant)}/queues/${seg(queue)}`;
    const rates = new Rates();

    const stateBadge = h('span', {id: 'queue-state'});
    const pauseButton = h('button', {type: 'button', id: 'pause', 'data-key': 'pause'}, 'Pause');
    const resumeButton = h('button', {type: 'button', id: 'resume', 'data-key': 'resume'}, 'Resume');
    const cards = h('div', {class: 'cards', id: 'queue-cards', 'aria-live': 'off'});
    const charts = h('div', {class: 'grid'});
    const byName = h('div', {class: 'panel', 'data-section': 'by-name'});
    const tasksBox = h('div', {class: 'panel', 'data-section': 'tasks-by-state'});
    const deadBox = h('div', {class: 'panel', 'data-section': 'dead'});
    const schedulesBox = h('div', {class: 'panel', 'data-section': 'schedules'});
    const enqueueBox = h('div', {class: 'panel'});

    fill(ctx.root,
      h('p', {class: 'small'}, h('a', {href: ctx.href('queues')}, '← Queues')),
      h('h1', {}, 'Queue ', h('span', {class: 'mono'}, queue), ' ', stateBadge),
      h('div', {class: 'actions'}, pauseButton, resumeButton),
      cards, charts, byName, tasksBox, deadBox, schedulesBox, enqueueBox);

    const throughput = new LiveChart(charts, {title: 'Throughput (tasks per second, all nodes)', id: 'throughput',
      series: [{label: 'succeeded'}, {label: 'failed attempts'}, {label: 'dead'}], format: v => v.toFixed(1)});
    const waiting = new LiveChart(charts, {title: 'Waiting', id: 'waiting',
      series: [{label: 'oldest pending'}], format: v => fmt.ms(v)});
    const depth = new LiveChart(charts, {title: 'Tasks by state', id: 'depth',
      series: [{label: 'pending'}, {label: 'running'}, {label: 'scheduled + retry'}], format: v => fmt.num(Math.round(v))});
    ctx.signal.addEventListener('abort', () => [throughput, waiting, depth].forEach(c => c.destroy()));

    let stats = null;
    const refreshStats = async () => {
      stats = await ctx.api.get(base, {signal: ctx.signal});
      ctx.clearError();
      const s = stats;
      fill(stateBadge, s.paused ? badge('paused', 'warn') : badge('active', 'ok'));
      pauseButton.disabled = s.paused;
      resumeButton.disabled = !s.paused;
      update(cards, s, () => [
        card('Pending', fmt.num(s.pending), null, 'pending'),
        card('Scheduled', fmt.num(s.scheduled), null, 'scheduled'),
        card('Waiting retry', fmt.num(s.failedWaitingRetry), null, 'retry'),
        card('Running', fmt.num(s.running), null, 'running'),
        card('Dead', fmt.num(s.dead), s.dead ? 'bad' : null, 'dead'),
        card('Waiting for children', fmt.num(s.waitingChildren), null, 'waiting-children'),
        card('Unclaimed', fmt.num(s.unclaimed), s.unclaimed ? 'warn' : null, 'unclaimed'),
        card('Oldest pending', fmt.ms(s.oldestPendingAgeMillis), null, 'oldest'),
        card('Succeeded (total)', fmt.num(s.succeededTotal), null, 'succeeded'),
        card('Failed attempts (total)', fmt.num(s.failedAttemptsTotal), null, 'failed-total'),
        card('Dead-lettered (total)', fmt.num(s.deadTotal), null, 'dead-total'),
        card('Cancelled (total)', fmt.num(s.cancelledTotal), null, 'cancelled'),
        card('Expired leases (total)', fmt.num(s.expiredLeasesTotal), null, 'expired'),
      ]);
      const now = Date.now();
      throughput.push([rates.rate('ok', s.succeededTotal, now), rates.rate('fail', s.failedAttemptsTotal, now),
        rates.rate('dead', s.deadTotal, now)]);
      waiting.push([s.oldestPendingAgeMillis]);
      depth.push([s.pending, s.running, s.scheduled + s.failedWaitingRetry]);
      const p = s.pendingByPriority || {};
      update(byName, {p, n: s.byTaskName}, () => [
        h('h2', {}, 'Pending by priority and task name'),
        h('p', {}, ['CRITICAL', 'HIGH', 'NORMAL', 'LOW'].map(k => `${k.toLowerCase()} ${fmt.num(p[k])}`).join(' · ')),
        table([{label: 'Task name'}, {label: 'Pending', num: true}, {label: 'Oldest pending'}, {label: 'A worker serves it'}],
          (s.byTaskName || []).map(n => [h('span', {class: 'mono'}, n.taskName), fmt.num(n.pending),
            fmt.ms(n.oldestPendingAgeMillis), n.served ? badge('yes', 'ok') : badge('no worker', 'warn')]),
          'No pending task.', 'Pending by task name'),
      ]);
    };

    // the button pressed becomes disabled: the focus moves to the other one, so a keyboard user stays in place
    pauseButton.addEventListener('click', () => ctx.act(async () => {
      await ctx.api.post(`${base}/pause`);
      await refreshStats();
      if (document.activeElement === pauseButton || document.activeElement === document.body) resumeButton.focus();
    }, `Queue ${queue} paused: workers claim none of its tasks until it is resumed.`));
    resumeButton.addEventListener('click', () => ctx.act(async () => {
      await ctx.api.post(`${base}/resume`);
      await refreshStats();
      if (document.activeElement === resumeButton || document.activeElement === document.body) pauseButton.focus();
    }, `Queue ${queue} resumed.`));

    // tasks by state (the listing API)
    let state = 'pending';
    let cursor = null;
    const back = [];
    const tabs = STATES.map(([key, label]) => h('button', {type: 'button', 'data-key': 'tab:' + key, 'data-state': key,
      'aria-pressed': String(key === state), onclick: () => {
        state = key;
        cursor = null;
        back.length = 0;
        tabs.forEach(t => t.setAttribute('aria-pressed', String(t.dataset.state === state)));
        invalidate(tasksList);
        refreshTasks().catch(e => ctx.showError(e));
      }}, label));
    const tasksList = h('div', {id: 'tasks-list'});
    fill(tasksBox, h('h2', {}, 'Tasks by state'), h('div', {class: 'actions', role: 'group', 'aria-label': 'State'}, tabs), tasksList);
    const refreshTasks = async () => {
      const page = await listing.tasks(ctx.api, ctx.tenant, queue, state, {cursor, limit: 50});
      if (page === null) {
        update(tasksList, 'na', () => notice('na', 'Listing tasks by state is not available on this server; the counts above and the dead letters below are.'));
        return;
      }
      update(tasksList, {state, cursor, page}, () => [
        table([{label: 'Task'}, {label: 'Name'}, {label: 'Priority'}, {label: 'Attempts', num: true}, {label: 'Created'},
          {label: state === 'running' ? 'Lease holder' : state === 'pending' ? 'Progress' : 'Runs at'},
          {label: 'Last error'}, {label: ''}],
        page.tasks.map(t => ({attrs: {'data-task': t.id}, cells: [
          taskLink(ctx, queue, t.id), h('span', {class: 'mono'}, t.name), t.priority, `${t.attempts}/${t.maxAttempts}`,
          fmt.time(t.createdAt),
          state === 'running' ? (t.lease ? `${t.lease.holder} (until ${fmt.time(t.lease.expiresAt)})` : '—')
            : state === 'pending' ? (t.progress ? `${t.progress.percent} %` : '—') : fmt.time(t.runAt),
          t.lastError || '—',
          state === 'running' ? '' : h('button', {type: 'button', class: 'danger', 'data-key': 'cancel:' + t.id,
            onclick: () => cancel(t.id)}, 'Cancel')]})),
        `No ${state} task.`, `Tasks ${state}`),
        h('div', {class: 'actions'},
          h('button', {type: 'button', 'data-key': 'prev', disabled: back.length === 0, onclick: () => {
            cursor = back.pop() || null;
            refreshTasks().catch(e => ctx.showError(e));
          }}, 'Previous page'),
          h('button', {type: 'button', 'data-key': 'next', disabled: !page.nextCursor, onclick: () => {
            back.push(cursor);
            cursor = page.nextCursor;
            refreshTasks().catch(e => ctx.showError(e));
          }}, 'Next page')),
      ]);
    };

    const cancel = async id => {
      if (!(await ctx.confirm(`Cancel task ${id}? It will not run.`, 'Cancel task'))) return;
      await ctx.act(() => ctx.api.del(`${base}/tasks/${seg(id)}`), `Task ${id} cancelled.`);
      await refreshAll();
    };

    // dead letters
    const refreshDead = async () => {
      const dead = await ctx.api.get(`${base}/dead?limit=100`, {signal: ctx.signal});
      update(deadBox, dead, () => [
        h('h2', {}, 'Dead letters'),
        h('div', {class: 'actions'},
          h('button', {type: 'button', class: 'danger', id: 'retry-all', 'data-key': 'retry-all',
            disabled: dead.tasks.length === 0, onclick: retryAll}, 'Retry all dead')),
        table([{label: 'Task'}, {label: 'Name'}, {label: 'Attempts', num: true}, {label: 'Died'}, {label: 'Error'}, {label: ''}],
          dead.tasks.map(t => ({attrs: {'data-dead': t.id}, cells: [taskLink(ctx, queue, t.id), h('span', {class: 'mono'}, t.name),
            `${t.attempts}/${t.maxAttempts}`, fmt.time(t.finishedAt), t.lastError || '—',
            h('button', {type: 'button', 'data-key': 'retry:' + t.id, 'data-retry': t.id, onclick: () => retryOne(t.id)}, 'Retry')]})),
          'No dead letters.', 'Dead letters'),
        dead.tasks.length === 100 ? h('p', {class: 'muted small'}, 'The 100 newest are shown.') : null,
      ]);
    };
    const retryOne = id => ctx.act(async () => {
      await ctx.api.post(`${base}/dead/${seg(id)}/retry`);
      await refreshAll();
    }, `Task ${id} is pending again.`);
    const retryAll = async () => {
      const dead = await ctx.api.get(`${base}/dead?limit=1000`, {signal: ctx.signal}).catch(e => {
        ctx.toast(ctx.describe(e), 'error');
        return null;
      });
      if (!dead || !dead.tasks.length) return;
      const n = dead.tasks.length;
      if (!(await ctx.confirm(`Retry all ${n} dead task${n === 1 ? '' : 's'}${n === 1000 ? ' (the 1000 newest)' : ''} of queue ${queue}? `
        + 'Each is put back in the queue and runs again.', `Retry ${n}`))) return;
      const {done, failed} = await eachPaced(ctx, dead.tasks.map(t => t.id),
        id => ctx.api.post(`${base}/dead/${seg(id)}/retry`), () => {});
      ctx.toast(`Retried ${done} of ${n} dead tasks.` + (failed.length ? ` ${failed.length} failed: ${failed[0]}` : ''),
        failed.length ? 'error' : null);
      await refreshAll();
    };

    // recurring tasks
    const refreshSchedules = async () => {
      const r = await ctx.api.get(`${base}/schedules`, {signal: ctx.signal});
      update(schedulesBox, r, () => [
        h('h2', {}, 'Recurring tasks'),
        table([{label: 'Schedule'}, {label: 'Task name'}, {label: 'When'}, {label: 'Next run'}, {label: 'Last fired'},
          {label: 'Last task'}, {label: 'State'}, {label: ''}],
        r.schedules.map(s => ({attrs: {'data-schedule': s.name}, cells: [h('span', {class: 'mono'}, s.name), h('span', {class: 'mono'}, s.taskName),
          s.cron ? `cron ${s.cron} (${s.timeZone})` : `every ${fmt.ms(s.everySeconds * 1000)}`,
          fmt.time(s.nextRunAt), fmt.time(s.lastFiredAt), s.lastTaskId ? taskLink(ctx, queue, s.lastTaskId) : '—',
          s.paused ? badge('paused', 'warn') : badge('active', 'ok'),
          h('span', {class: 'actions'},
            h('button', {type: 'button', 'data-key': 'sched-toggle:' + s.name, onclick: () => ctx.act(async () => {
              await ctx.api.post(`${base}/schedules/${seg(s.name)}/${s.paused ? 'resume' : 'pause'}`);
              await refreshSchedules();
            }, `Schedule ${s.name} ${s.paused ? 'resumed' : 'paused'}.`)}, s.paused ? 'Resume' : 'Pause'),
            h('button', {type: 'button', class: 'danger', 'data-key': 'sched-delete:' + s.name, onclick: async () => {
              if (!(await ctx.confirm(`Delete schedule ${s.name}? Tasks it enqueued stay.`, 'Delete'))) return;
              await ctx.act(async () => {
                await ctx.api.del(`${base}/schedules/${seg(s.name)}`);
                await refreshSchedules();
              }, `Schedule ${s.name} deleted.`);
            }}, 'Delete'))]})),
        'This queue has no recurring task.', 'Recurring tasks'),
      ]);
    };

    // enqueue
    const nameId = uid('task-name');
    const payloadId = uid('payload');
    const priorityId = uid('priority');
    const delayId = uid('delay');
    const form = h('form', {class: 'stack', id: 'enqueue-form'},
      h('label', {for: nameId}, 'Task name', h('input', {id: nameId, name: 'name', required: true, autocomplete: 'off', value: 'echo'})),
      h('label', {for: payloadId}, 'Payload (JSON)', h('textarea', {id: payloadId, name: 'payload', spellcheck: 'false'}, '{}')),
      h('label', {for: priorityId}, 'Priority', h('select', {id: priorityId, name: 'priority'},
        ['critical', 'high', 'normal', 'low'].map(p => h('option', {value: p, selected: p === 'normal' ? 'selected' : null}, p)))),
      h('label', {for: delayId}, 'Delay in seconds', h('input', {id: delayId, name: 'delay', type: 'number', min: '0', value: '0'})),
      h('div', {class: 'actions'}, h('button', {type: 'submit', class: 'primary'}, 'Enqueue')));
    form.addEventListener('submit', async e => {
      e.preventDefault();
      let payload;
      try {
        payload = JSON.parse(form.elements.payload.value || 'null');
      } catch (err) {
        ctx.toast(`The payload is not JSON: ${err.message}`, 'error');
        return;
      }
      const body = {name: form.elements.name.value.trim(), payload, priority: form.elements.priority.value};
      const delay = Number(form.elements.delay.value || 0);
      if (delay > 0) body.delaySeconds = delay;
      const r = await ctx.act(() => ctx.api.post(`${base}/tasks`, body), r => `Task ${r.id} enqueued.`);
      if (r) await refreshAll();
    });
    fill(enqueueBox, h('details', {}, h('summary', {}, 'Enqueue a task'), form));

    const refreshAll = async () => {
      await refreshStats();
      await Promise.all([refreshTasks(), refreshDead(), refreshSchedules()]);
    };
    ctx.every(ctx.refreshMs, refreshAll);
  },
};
