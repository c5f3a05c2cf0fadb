// Embeddings: the tenant's models (the listing API) with this node's hit ratio, a model's statistics and hit-ratio
// chart, its vectors in Redis counted on demand (a bounded scan), and clearing a model.
import {h, fill, update, card, notice, fmt, table} from '../dom.js';
import {LiveChart, Rates} from '../chart.js';
import * as listing from '../listing.js';
import {seg} from '../api.js';

const MODEL_RULE = /^[A-Za-z0-9._:/@+-]{1,128}$/;

function modelPath(model) {
  return model.split('/').map(seg).join('/');
}

export default {
  title: () => 'Embeddings',

  render(ctx) {
    const model = ctx.args.length ? ctx.args.join('/') : null;
    const listBox = h('div', {class: 'panel', 'data-section': 'models'});
    const modelBox = h('div', {'data-section': 'model'});
    const input = h('input', {id: 'model', name: 'model', required: true, autocomplete: 'off', value: model || ''});
    const form = h('form', {class: 'inline', id: 'model-form'}, h('label', {for: 'model'}, 'Model', input),
      h('button', {type: 'submit', class: 'primary'}, 'Open'));
    form.addEventListener('submit', e => {
      e.preventDefault();
      const v = input.value.trim();
      if (!MODEL_RULE.test(v) || /^\.+$/.test(v)) {
        ctx.toast(`"${v}" is not a model name: 1 to 128 of letters, digits and . _ : / @ + -`, 'error');
        return;
      }
      ctx.recent.add('models', v);
      location.hash = ctx.href('embeddings', ...v.split('/'));
    });
    fill(ctx.root, h('h1', {}, `Embeddings of ${ctx.tenant}`), h('div', {class: 'panel'}, form), modelBox, listBox);

    const base = m => `tenants/${seg(ctx.tenant)}/embeddings/${modelPath(m)}`;
    const refreshList = async () => {
      const page = await listing.models(ctx.api, ctx.tenant, {limit: 100});
      const names = page === null ? ctx.recent.get('models') : page.models.map(m => m.model);
      const dims = new Map(page === null ? [] : page.models.map(m => [m.model, m.dimension]));
      const rows = await Promise.all(names.map(async m => {
        try {
          return {m, s: await ctx.api.get(`${base(m)}/stats`, {signal: ctx.signal})};
        } catch (e) {
          return {m, error: ctx.describe(e)};
        }
      }));
      update(listBox, {rows, na: page === null}, () => [h('h2', {}, page === null ? 'Opened before' : 'Models'),
        page === null ? notice('na', 'The list of models is not available on this server; models you open are remembered here (in this browser).') : null,
        table([{label: 'Model'}, {label: 'Dimension', num: true}, {label: 'Hits', num: true}, {label: 'Misses', num: true},
          {label: 'Hit ratio', num: true}, {label: 'Stores', num: true}],
        rows.map(r => [h('a', {href: ctx.href('embeddings', ...r.m.split('/'))}, r.m),
          r.error ? r.error : fmt.num(dims.has(r.m) ? dims.get(r.m) : r.s.dimension),
          r.error ? '' : fmt.num(r.s.hits), r.error ? '' : fmt.num(r.s.misses), r.error ? '' : fmt.pct(r.s.hitRatio),
          r.error ? '' : fmt.num(r.s.stores)]), 'No models.', 'Models'),
        h('p', {class: 'muted small'}, 'Hits, misses and stores are this node\'s since it started.')]);
    };

    if (model) {
      const cards = h('div', {class: 'cards'});
      const charts = h('div', {class: 'grid'});
      const entriesBox = h('div', {});
      fill(modelBox, h('div', {class: 'panel'}, h('h2', {}, 'Model ', h('span', {class: 'mono'}, model)), cards,
        h('div', {class: 'actions'},
          h('button', {type: 'button', id: 'count-entries', onclick: () => countEntries()}, 'Count vectors in Redis'),
          h('button', {type: 'button', class: 'danger', id: 'clear-model', onclick: async () => {
            if (!(await ctx.confirm(`Remove every vector of ${model} for tenant ${ctx.tenant}?`, 'Remove vectors'))) return;
            await ctx.act(() => ctx.api.del(base(model)), r => `Removed ${fmt.num(r.removed)} vectors.`);
          }}, 'Remove all vectors')),
        entriesBox), charts);
      const chart = new LiveChart(charts, {title: `Hit ratio of ${model} (this node)`, id: 'hit-ratio',
        series: [{label: 'hit ratio'}], format: v => fmt.pct(v)});
      const lookups = new LiveChart(charts, {title: 'Lookups per second (this node)', id: 'lookups',
        series: [{label: 'hits'}, {label: 'misses'}], format: v => v.toFixed(1)});
      ctx.signal.addEventListener('abort', () => {
        chart.destroy();
        lookups.destroy();
      });
      const rates = new Rates();
      const countEntries = async () => {
        fill(entriesBox, h('p', {class: 'muted'}, 'Counting…'));
        try {
          const r = await listing.entries(ctx.api, ctx.tenant, model);
          fill(entriesBox, r === null ? notice('na', 'Counting vectors in Redis is not available on this server.')
            : h('p', {id: 'entries'}, `${fmt.num(r.entries)} vector${r.entries === 1 ? '' : 's'} in Redis`,
              r.complete ? ' (exact)' : ` (estimated from ${fmt.pct(r.coverage)} of the keyspace)`,
              h('span', {class: 'muted small'}, ` — ${fmt.num(r.scanCalls)} SCAN calls, ${fmt.num(r.millis)} ms`)));
        } catch (e) {
          fill(entriesBox, notice('error', ctx.describe(e)));
        }
      };
      ctx.every(ctx.refreshMs, async () => {
        const s = await ctx.api.get(`${base(model)}/stats`, {signal: ctx.signal});
        ctx.clearError();
        update(cards, s, () => [
          card('Dimension', s.dimension === null ? '—' : fmt.num(s.dimension), null, 'dimension'),
          card('Hits', fmt.num(s.hits), null, 'hits'),
          card('Misses', fmt.num(s.misses), null, 'misses'),
          card('Hit ratio', fmt.pct(s.hitRatio), null, 'hit-ratio'),
          card('Local hits', fmt.num(s.localHits), null, 'local-hits'),
          card('Stores', fmt.num(s.stores), null, 'stores'),
          card('Computed', fmt.num(s.computed), null, 'computed'),
          card('Bytes read', fmt.bytes(s.bytesRead), null, 'bytes-read'),
          card('Bytes written', fmt.bytes(s.bytesWritten), null, 'bytes-written'),
        ]);
        chart.push([s.hits + s.misses ? s.hitRatio : null]);
        const now = Date.now();
        lookups.push([rates.rate('h', s.hits, now), rates.rate('m', s.misses, now)]);
        await refreshList();
      });
    } else {
      ctx.every(ctx.refreshMs * 2, refreshList);
    }
  },
};
