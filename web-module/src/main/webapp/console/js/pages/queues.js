// Queues: the tenant's queues with their counts (the listing API, a page at a time), queues opened before, and a
// form to open any queue by name.
import {seg} from '../api.js';
import {h, fill, notice, fmt, table, badge, NAME_RULE, NAME_RULE_TEXT} from '../dom.js';
import * as listing from '../listing.js';

export function openByName(ctx, kind, label, page) {
  const input = h('input', {id: `open-${kind}`, name: 'name', required: true, autocomplete: 'off', spellcheck: 'false'});
  const form = h('form', {class: 'inline', id: `open-${kind}-form`},
    h('label', {for: `open-${kind}`}, label, input),
    h('button', {type: 'submit', class: 'primary'}, 'Open'));
  form.addEventListener('submit', e => {
    e.preventDefault();
    const name = input.value.trim();
    if (!NAME_RULE.test(name)) {
      ctx.toast(`"${name}" is not a valid name: ${NAME_RULE_TEXT}.`, 'error');
      input.focus();
      return;
    }
    ctx.recent.add(kind, name);
    location.hash = ctx.href(page, name);
  });
  return form;
}

export default {
  title: () => 'Queues',

  render(ctx) {
    const listBox = h('div', {class: 'panel', 'data-section': 'queue-list'}, h('p', {class: 'muted'}, 'Loading…'));
    const recentBox = h('div', {class: 'panel', 'data-section': 'recent-queues'});
    fill(ctx.root,
      h('h1', {}, `Queues of ${ctx.tenant}`),
      h('div', {class: 'panel'}, openByName(ctx, 'queues', 'Queue name', 'queues')),
      listBox, recentBox);
    let cursor = null;
    const cursors = [];

    const showRecent = async () => {
      const recent = ctx.recent.get('queues');
      if (!recent.length) {
        fill(recentBox, h('h2', {}, 'Opened before'), h('p', {class: 'muted'}, 'Queues you open are remembered here (in this browser).'));
        return;
      }
      const rows = await Promise.all(recent.map(async name => {
        try {
          const s = await ctx.api.get(`tenants/${seg(ctx.tenant)}/queues/${seg(name)}`, {signal: ctx.signal});
          return {name, s};
        } catch (e) {
          return {name, error: ctx.describe(e)};
        }
      }));
      fill(recentBox, h('h2', {}, 'Opened before'), queueTable(ctx, rows.map(r => ({queue: r.name, stats: r.s, error: r.error}))));
    };

    const load = async () => {
      const page = await listing.queues(ctx.api, ctx.tenant, {cursor, limit: 50});
      if (page === null) {
        fill(listBox, h('h2', {}, 'All queues'), notice('na', 'The list of queues is not available on this server. Open a queue by name above.'));
        await showRecent();
        return;
      }
      recentBox.hidden = true;
      fill(listBox, h('h2', {}, 'All queues'),
        queueTable(ctx, page.queues),
        h('div', {class: 'actions'},
          h('button', {type: 'button', disabled: cursors.length === 0, onclick: () => {
            cursor = cursors.pop() || null;
            load().catch(e => ctx.showError(e));
          }}, 'Previous page'),
          h('button', {type: 'button', disabled: !page.nextCursor, onclick: () => {
            cursors.push(cursor);
            cursor = page.nextCursor;
            load().catch(e => ctx.showError(e));
          }}, 'Next page')));
    };
    ctx.every(ctx.refreshMs, load);
  },
};

export function queueTable(ctx, rows) {
  return table([{label: 'Queue'}, {label: 'Pending', num: true}, {label: 'Scheduled', num: true},
    {label: 'Retry', num: true}, {label: 'Running', num: true}, {label: 'Dead', num: true}, {label: 'Oldest pending'},
    {label: 'State'}],
  rows.map(r => {
    const s = r.stats || {};
    const link = h('a', {href: ctx.href('queues', r.queue)}, r.queue);
    if (r.error) return {cells: [link, r.error, '', '', '', '', '', ''], attrs: {'data-queue': r.queue}};
    return {cells: [link, fmt.num(s.pending), fmt.num(s.scheduled), fmt.num(s.failedWaitingRetry), fmt.num(s.running),
      fmt.num(s.dead), fmt.ms(s.oldestPendingAgeMillis), s.paused ? badge('paused', 'warn') : badge('active', 'ok')],
    attrs: {'data-queue': r.queue}};
  }), 'No queues.', 'Queues');
}
