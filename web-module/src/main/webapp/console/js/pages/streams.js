// Streams: the tenant's streams (the listing API), streams opened before, and a form to open any stream by name.
import {seg} from '../api.js';
import {h, fill, update, notice, fmt, table} from '../dom.js';
import * as listing from '../listing.js';
import {openByName} from './queues.js';

export default {
  title: () => 'Streams',

  render(ctx) {
    const listBox = h('div', {class: 'panel', 'data-section': 'stream-list'}, h('p', {class: 'muted'}, 'Loading…'));
    fill(ctx.root,
      h('h1', {}, `Streams of ${ctx.tenant}`),
      h('div', {class: 'panel'}, openByName(ctx, 'streams', 'Stream name', 'streams')),
      listBox);
    let cursor = null;
    const back = [];
    const load = async () => {
      const page = await listing.streams(ctx.api, ctx.tenant, {cursor, limit: 50});
      const names = page === null ? ctx.recent.get('streams') : page.streams;
      const rows = await Promise.all(names.map(async name => {
        try {
          return {name, info: await ctx.api.get(`tenants/${seg(ctx.tenant)}/streams/${seg(name)}`, {signal: ctx.signal})};
        } catch (e) {
          return {name, error: e.status === 404 ? 'no events yet' : ctx.describe(e)};
        }
      }));
      update(listBox, {page: page === null ? null : page.nextCursor, rows, na: page === null}, () => [
        h('h2', {}, page === null ? 'Opened before' : 'All streams'),
        page === null ? notice('na', 'The list of streams is not available on this server. Open a stream by name above; streams you open are remembered here (in this browser).') : null,
        table([{label: 'Stream'}, {label: 'Length', num: true}, {label: 'Groups', num: true}, {label: 'Pending', num: true},
          {label: 'Lag', num: true}, {label: 'Dead letters', num: true}, {label: 'Last event'}],
        rows.map(r => {
          const link = h('a', {href: ctx.href('streams', r.name)}, r.name);
          if (r.error) return [link, r.error, '', '', '', '', ''];
          const i = r.info;
          const pending = i.groups.reduce((a, g) => a + g.pending, 0);
          const lag = i.groups.reduce((a, g) => a + (g.lag || 0), 0);
          return [link, fmt.num(i.length), fmt.num(i.groups.length), fmt.num(pending), fmt.num(lag), fmt.num(i.deadLetters),
            i.lastId ? fmt.time(new Date(Number(i.lastId.split('-')[0])).toISOString()) : '—'];
        }), page === null ? 'No stream opened yet.' : 'No streams.', 'Streams'),
        page === null ? null : h('div', {class: 'actions'},
          h('button', {type: 'button', 'data-key': 'prev', disabled: back.length === 0, onclick: () => {
            cursor = back.pop() || null;
            load().catch(e => ctx.showError(e));
          }}, 'Previous page'),
          h('button', {type: 'button', 'data-key': 'next', disabled: !page.nextCursor, onclick: () => {
            back.push(cursor);
            cursor = page.nextCursor;
            load().catch(e => ctx.showError(e));
          }}, 'Next page')),
      ]);
    };
    ctx.every(ctx.refreshMs, load);
  },
};
