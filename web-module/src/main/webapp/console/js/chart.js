// Live line charts on uPlot (from its WebJar, served by the application under lib/uplot/). A chart keeps the last
// `points` samples a page took while it was open; the numbers themselves are always on the page as text too.
import uPlot from '../lib/uplot/uPlot.esm.js';
import {h} from './dom.js';

const COLORS = ['#1f5fbf', '#b3261e', '#1e7b34', '#8a5a00', '#6b3fa0', '#0f7c8c'];

/**
 * A chart in `parent`: title, series [{label, color?}], an optional value formatter for the axis and the legend.
 * push(values) adds one sample (now) with one value per series; destroy() frees it.
 */
export class LiveChart {
  constructor(parent, {title, series, format = null, points = 180, id = null}) {
    this.points = points;
    this.data = [[], ...series.map(() => [])];
    this.box = h('figure', {class: 'chart-box', 'data-chart': id, role: 'group', 'aria-label': title},
      h('h3', {}, title));
    this.target = h('div', {class: 'chart', role: 'img', 'aria-label': `${title}: no samples yet`});
    this.box.append(this.target);
    parent.append(this.box);
    const value = format ? (u, v) => (v === null || v === undefined ? '—' : format(v)) : undefined;
    this.title = title;
    this.series = series;
    this.format = format || (v => String(v));
    this.plot = new uPlot({
      width: this.width(),
      height: 180,
      cursor: {drag: {x: false, y: false}},
      legend: {live: false},
      scales: {x: {time: true}},
      axes: [{}, {values: format ? (u, splits) => splits.map(v => format(v)) : undefined, size: 70}],
      series: [{}, ...series.map((s, i) => ({label: s.label, stroke: s.color || COLORS[i % COLORS.length], width: 2,
        value}))],
    }, this.data, this.target);
    this.resize = new ResizeObserver(() => {
      const w = this.width();
      if (w > 0 && Math.abs(w - this.plot.width) > 2) this.plot.setSize({width: w, height: 180});
    });
    this.resize.observe(this.box);
  }

  width() {
    return Math.max(200, (this.box.clientWidth || 400) - 16);
  }

  push(values, at = Date.now() / 1000) {
    this.data[0].push(at);
    values.forEach((v, i) => this.data[i + 1].push(v === undefined ? null : v));
    if (this.data[0].length > this.points) this.data.forEach(a => a.shift());
    this.plot.setData(this.data);
    this.describe(values);
  }

  describe(values) {
    this.target.setAttribute('aria-label', `${this.title}: ` + this.series.map((s, i) =>
      `${s.label} ${values[i] === null || values[i] === undefined ? 'no value' : this.format(values[i])}`).join(', '));
  }

  /** Adds earlier samples [{at (epoch seconds), values}] at once. */
  seed(samples) {
    for (const s of samples.slice(-this.points)) {
      this.data[0].push(s.at);
      s.values.forEach((v, i) => this.data[i + 1].push(v === undefined ? null : v));
    }
    this.plot.setData(this.data);
    if (samples.length) this.describe(samples[samples.length - 1].values);
  }

  destroy() {
    this.resize.disconnect();
    this.plot.destroy();
  }
}

/**
 * Turns successive totals into rates per second: rate(key, total) → the increase per second since the last call
 * with the same key (null the first time, or when the total went down, e.g. after a Redis restart).
 */
export class Rates {
  constructor() {
    this.last = new Map();
  }

  rate(key, total, at = Date.now()) {
    const prev = this.last.get(key);
    this.last.set(key, {total, at});
    if (!prev || total === null || total === undefined || total < prev.total || at <= prev.at) return null;
    return (total - prev.total) / ((at - prev.at) / 1000);
  }
}
