// One stream: length, groups and consumers with lag and pending, charts, dead letters with redrive, a live tail
// (the SSE endpoint, read with the bearer token) and a form to publish an event.
import {ApiError, seg, eventStream} from '../api.js';
import {h, fill, update, card, badge, notice, fmt, table, uid} from '../dom.js';
import {LiveChart} from '../chart.js';
import * as listing from '../listing.js';

const TAIL_MAX = 200;

function idTime(id) {
  const ms = Number(String(id).split('-')[0]);
  return isNaN(ms) ? '—' : fmt.time(new Date(ms).toISOString());
}

export default {
  title: ctx => `Stream ${ctx.args[0]}`,

  render(ctx) {
    const stream = ctx.args[0];
    ctx.recent.add('streams', stream);
    const base = `tenants/${seg(ctx.tenant)}/streams/${seg(stream)}`;
    const cards = h('div', {class: 'cards', id: 'stream-cards'});
    const charts = h('div', {class: 'grid'});
    const groupsBox = h('div', {class: 'panel', 'data-section': 'groups'});
    const deadBox = h('div', {class: 'panel', 'data-section': 'dead-letters'});
    const tailBox = h('div', {class: 'panel', 'data-section': 'tail'});
    const publishBox = h('div', {class: 'panel'});
    fill(ctx.root,
      h('p', {class: 'small'}, h('a', {href: ctx.href('streams')}, '← Streams')),
      h('h1', {}, 'Stream ', h('span', {class: 'mono'}, stream)),
      cards, charts, groupsBox, tailBox, deadBox, publishBox);

    const lengthChart = new LiveChart(charts, {title: 'Length and dead letters', id: 'length',
      series: [{label: 'entries'}, {label: 'dead letters'}], format: v => fmt.num(Math.round(v))});
    const lagChart = new LiveChart(charts, {title: 'Consumer groups (all groups)', id: 'lag',
      series: [{label: 'lag'}, {label: 'pending'}], format: v => fmt.num(Math.round(v))});
    ctx.signal.addEventListener('abort', () => [lengthChart, lagChart].forEach(c => c.destroy()));

    let exists = true;
    const refreshInfo = async () => {
      let info;
      try {
        info = await ctx.api.get(base, {signal: ctx.signal});
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) {
          exists = false;
          update(cards, 'missing', () => notice('na', `Stream ${stream} has no events yet: nothing was ever published to it. `
            + 'The live tail below shows the first one when it comes.'));
          fill(groupsBox);
          fill(deadBox);
          return;
        }
        throw e;
      }
      exists = true;
      ctx.clearError();
      const pending = info.groups.reduce((a, g) => a + g.pending, 0);
      const lag = info.groups.reduce((a, g) => a + (g.lag || 0), 0);
      update(cards, info, () => [
        card('Length', fmt.num(info.length), null, 'length'),
        card('Groups', fmt.num(info.groups.length), null, 'groups'),
        card('Pending', fmt.num(pending), null, 'pending'),
        card('Lag', fmt.num(lag), lag ? 'warn' : null, 'lag'),
        card('Dead letters', fmt.num(info.deadLetters), info.deadLetters ? 'bad' : null, 'dead-letters'),
        card('First event', idTime(info.firstId), 'time', 'first'),
        card('Last event', idTime(info.lastId), 'time', 'last'),
      ]);
      lengthChart.push([info.length, info.deadLetters]);
      lagChart.push([lag, pending]);

      const detail = await listing.groups(ctx.api, ctx.tenant, stream, {consumers: 100});
      update(groupsBox, {groups: info.groups, detail}, () => [
        h('h2', {}, 'Consumer groups'),
        table([{label: 'Group'}, {label: 'Consumers', num: true}, {label: 'Pending', num: true}, {label: 'Lag', num: true},
          {label: 'Last delivered'}],
        info.groups.map(g => [h('span', {class: 'mono'}, g.name), fmt.num(g.consumers), fmt.num(g.pending),
          g.lag === null ? 'unknown' : fmt.num(g.lag), h('span', {class: 'mono'}, g.lastDeliveredId || '—')]),
        'No consumer group reads this stream.', 'Consumer groups'),
        detail === null ? notice('na', 'Consumers per group: not available on this server.')
          : detail.groups.filter(g => g.consumers.length).map(g => [
            h('h3', {}, 'Consumers of ', h('span', {class: 'mono'}, g.name)),
            table([{label: 'Consumer'}, {label: 'Pending', num: true}, {label: 'Idle'}, {label: 'Inactive'}],
              g.consumers.map(c => [h('span', {class: 'mono'}, c.name), fmt.num(c.pending), fmt.ms(c.idleMillis),
                c.inactiveMillis === null ? '—' : fmt.ms(c.inactiveMillis)]), 'No consumers.', `Consumers of ${g.name}`)]),
      ]);
      await refreshDead();
    };

    const refreshDead = async () => {
      if (!exists) return;
      const dead = await ctx.api.get(`${base}/dead-letters?limit=100`, {signal: ctx.signal});
      update(deadBox, dead, () => [
        h('h2', {}, 'Dead letters'),
        h('p', {class: 'muted small'}, 'Redrive publishes the event again as a new entry (every group of the stream receives it) and removes the dead letter.'),
        h('div', {class: 'actions'}, h('button', {type: 'button', class: 'danger', id: 'redrive-all', 'data-key': 'redrive-all',
          disabled: dead.length === 0, onclick: () => redriveAll(dead)}, 'Redrive all shown')),
        table([{label: 'Event'}, {label: 'Type'}, {label: 'Group'}, {label: 'Deliveries', num: true}, {label: 'Dead since'},
          {label: 'Error'}, {label: 'Data'}, {label: ''}],
        dead.map(d => ({attrs: {'data-dead-letter': d.event.id}, cells: [h('span', {class: 'mono'}, d.originalId || d.event.id),
          h('span', {class: 'mono'}, d.event.type), d.group || '—', fmt.num(d.deliveries), fmt.time(d.deadAt), d.error || '—',
          h('span', {class: 'mono small'}, fmt.json(d.event.data).slice(0, 200)),
          h('button', {type: 'button', 'data-key': 'redrive:' + d.event.id, onclick: () => redriveOne(d.event.id)}, 'Redrive')]})),
        'No dead letters.', 'Dead letters'),
      ]);
    };
    const redriveOne = id => ctx.act(async () => {
      const r = await ctx.api.post(`${base}/dead-letters/${seg(id)}/redrive`);
      await refreshInfo();
      return r;
    }, r => `Redriven as ${r.redrivenAs}.`);
    const redriveAll = async dead => {
      if (!(await ctx.confirm(`Redrive ${dead.length} dead letter${dead.length === 1 ? '' : 's'} of stream ${stream}? `
        + 'Each event is published again and every group receives it.', `Redrive ${dead.length}`))) return;
      let done = 0;
      const failed = [];
      for (const d of dead) {
        try {
          await ctx.api.post(`${base}/dead-letters/${seg(d.event.id)}/redrive`);
          done += 1;
        } catch (e) {
          failed.push(ctx.describe(e));
        }
      }
      ctx.toast(`Redrove ${done} of ${dead.length}.` + (failed.length ? ` ${failed.length} failed: ${failed[0]}` : ''),
        failed.length ? 'error' : null);
      await refreshInfo();
    };

    // live tail
    const tailState = h('span', {id: 'tail-state'}, badge('connecting', 'warn'));
    const tailList = h('ol', {id: 'tail', 'aria-live': 'polite', 'aria-relevant': 'additions'});
    let received = 0;
    const counter = h('span', {id: 'tail-count'}, '0');
    let tail = null;
    const toggle = h('button', {type: 'button', id: 'tail-toggle'}, 'Stop');
    const start = () => {
      tail = new AbortController();
      ctx.signal.addEventListener('abort', () => tail.abort());
      toggle.textContent = 'Stop';
      eventStream(ctx.api, `${base}/sse`, {
        signal: tail.signal,
        onState: (s, err) => fill(tailState, s === 'open' ? badge('live', 'ok') : s === 'reconnecting'
          ? badge('reconnecting', 'warn') : badge(err ? `closed: ${ctx.describe(err)}` : 'stopped', err ? 'bad' : null)),
        onEvent: ev => {
          received += 1;
          counter.textContent = String(received);
          let e;
          try {
            e = JSON.parse(ev.data);
          } catch (x) {
            e = {id: ev.id, type: ev.event, data: ev.data};
          }
          tailList.prepend(h('li', {'data-event-id': e.id || ev.id, 'data-type': e.type || ev.event},
            h('span', {class: 'muted'}, idTime(e.id || ev.id), ' '), h('strong', {}, e.type || ev.event), ' ',
            e.correlationId ? h('span', {class: 'muted'}, `[${e.correlationId}] `) : null, fmt.json(e.data).replace(/\s+/g, ' ').slice(0, 300)));
          while (tailList.children.length > TAIL_MAX) tailList.lastElementChild.remove();
        },
      });
    };
    toggle.addEventListener('click', () => {
      if (tail && !tail.signal.aborted) {
        tail.abort();
        toggle.textContent = 'Start';
      } else {
        start();
      }
    });
    fill(tailBox, h('h2', {}, 'Live tail'),
      h('div', {class: 'actions'}, tailState, h('span', {class: 'small muted'}, 'events received: ', counter), toggle,
        h('button', {type: 'button', onclick: () => {
          tailList.replaceChildren();
        }}, 'Clear')),
      h('p', {class: 'muted small'}, `Events published from now on, newest first (the last ${TAIL_MAX}).`),
      h('div', {class: 'tail', tabindex: '0', role: 'region', 'aria-label': 'Live tail'}, tailList));
    start();

    // publish
    const typeId = uid('type');
    const dataId = uid('data');
    const corrId = uid('correlation');
    const form = h('form', {class: 'stack', id: 'publish-form'},
      h('label', {for: typeId}, 'Type', h('input', {id: typeId, name: 'type', required: true, value: 'console.test', autocomplete: 'off'})),
      h('label', {for: dataId}, 'Data (JSON)', h('textarea', {id: dataId, name: 'data', spellcheck: 'false'}, '{}')),
      h('label', {for: corrId}, 'Correlation id (optional)', h('input', {id: corrId, name: 'correlationId', autocomplete: 'off'})),
      h('div', {class: 'actions'}, h('button', {type: 'submit', class: 'primary'}, 'Publish')));
    form.addEventListener('submit', async e => {
      e.preventDefault();
      let data;
      try {
        data = JSON.parse(form.elements.data.value || 'null');
      } catch (err) {
        ctx.toast(`The data is not JSON: ${err.message}`, 'error');
        return;
      }
      const body = {type: form.elements.type.value.trim(), data};
      const corr = form.elements.correlationId.value.trim();
      if (corr) body.correlationId = corr;
      await ctx.act(() => ctx.api.post(`${base}/events`, body), r => (r.id ? `Published ${r.id}.` : 'Accepted (buffered while Redis is down).'));
    });
    fill(publishBox, h('details', {}, h('summary', {}, 'Publish an event'), form));

    ctx.every(ctx.refreshMs, refreshInfo);
  },
};
