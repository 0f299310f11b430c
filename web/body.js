// The page of one issuing body across the years (#/body/ID): its reports, a
// table and small charts of its key figures with the change from the year
// before, and each year's problems section beside the previous year's with
// the repeated passages marked. Data from /api/bodies/{id}; text is only ever
// set as textContent.
(function () {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const SVG = 'http://www.w3.org/2000/svg';

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function fmt(v, key) {
    if (v === null || v === undefined) return '—';
    if (key && (key.startsWith('rates.') || key.startsWith('copied.'))) return (v * 100).toFixed(1) + '%';
    return Number.isInteger(v) ? v.toLocaleString('zh-CN') : v.toFixed(2);
  }
  function fmtChange(v, key) {
    if (v === null || v === undefined) return '';
    const s = fmt(Math.abs(v), key);
    return v > 0 ? '+' + s : v < 0 ? '−' + s : '±0';
  }

  // A small line chart of one figure over the years.
  function spark(values) {
    const pts = values.filter((v) => v.value !== null && v.value !== undefined);
    const svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('class', 'spark');
    svg.setAttribute('viewBox', '0 0 120 30');
    svg.setAttribute('width', '120');
    svg.setAttribute('height', '30');
    svg.setAttribute('role', 'img');
    if (pts.length < 2) return svg;
    const ys = pts.map((p) => p.value);
    const x0 = pts[0].year, x1 = pts[pts.length - 1].year;
    const lo = Math.min(...ys), hi = Math.max(...ys);
    const x = (y) => 4 + ((y - x0) / Math.max(1, x1 - x0)) * 112;
    const y = (v) => 26 - ((v - lo) / (hi - lo || 1)) * 22;
    const line = document.createElementNS(SVG, 'polyline');
    line.setAttribute('points', pts.map((p) => `${x(p.year).toFixed(1)},${y(p.value).toFixed(1)}`).join(' '));
    line.setAttribute('fill', 'none');
    line.setAttribute('stroke', 'currentColor');
    line.setAttribute('stroke-width', '1.5');
    svg.appendChild(line);
    return svg;
  }

  function figureTable(b) {
    const years = b.reports.map((r) => r.year).filter((y, i, a) => y !== null && a.indexOf(y) === i);
    const t = el('table', 'body-figures');
    const head = el('tr');
    head.appendChild(el('th', null, '指标 Figure'));
    for (const y of years) head.appendChild(el('th', 'num', y));
    head.appendChild(el('th', null, '趋势 Trend'));
    t.appendChild(el('thead')).appendChild(head);
    const tb = t.appendChild(el('tbody'));
    for (const f of b.figures) {
      const tr = el('tr');
      const th = el('th', null, f.label);
      th.title = f.key;
      th.scope = 'row';
      tr.appendChild(th);
      for (const y of years) {
        const v = f.values.find((x) => x.year === y) || {};
        const td = el('td', 'num', fmt(v.value, f.key));
        const ch = fmtChange(v.change, f.key);
        if (ch) {
          const c = el('small', 'change ' + (v.change > 0 ? 'up' : v.change < 0 ? 'down' : ''), ch);
          c.title = '较上年 change from the year before';
          td.appendChild(document.createTextNode(' '));
          td.appendChild(c);
        }
        tr.appendChild(td);
      }
      tr.appendChild(el('td')).appendChild(spark(f.values));
      tb.appendChild(tr);
    }
    return t;
  }

  // The problems text with the marked [start, end) character ranges.
  function marked(text, marks) {
    const p = el('div', 'problems-text');
    const chars = Array.from(text || '');
    let at = 0;
    for (const [s, e] of marks || []) {
      if (s > at) p.appendChild(document.createTextNode(chars.slice(at, s).join('')));
      const m = el('mark', 'copied', chars.slice(s, e).join(''));
      m.title = '与上年相同 same as the year before';
      p.appendChild(m);
      at = e;
    }
    p.appendChild(document.createTextNode(chars.slice(at).join('')));
    return p;
  }

  function reportLink(id, label) {
    const a = el('a', null, label);
    a.href = '#/report/' + encodeURIComponent(id);
    return a;
  }

  function problemsSide(b) {
    const box = el('section', 'body-problems');
    box.appendChild(el('h2', null, '存在的主要问题 · 逐年对照 Problems, year by year'));
    b.reports.forEach((r, i) => {
      const prev = i > 0 && b.reports[i - 1].year === r.year - 1 ? b.reports[i - 1] : null;
      const row = el('div', 'problems-pair');
      const cur = el('div', 'problems-year');
      const h = el('h3');
      h.appendChild(reportLink(r.id, `${r.year ?? '?'} · ${r.issuer ?? ''}`));
      if (r.copied_previous_year !== null && r.copied_previous_year !== undefined) {
        h.appendChild(el('small', 'copied-share', ` 与上年重复 ${fmt(r.copied_previous_year, 'copied.x')}`));
      }
      cur.appendChild(h);
      cur.appendChild(marked(r.problems ?? '（无此部分 no problems section）', r.problems_marks));
      if (r.copied_other_body_from) {
        const o = el('p', 'small');
        o.appendChild(document.createTextNode('同年最相似的其他机关报告 most similar report of another body: '));
        o.appendChild(reportLink(r.copied_other_body_from, r.copied_other_body_from));
        cur.appendChild(o);
      }
      const before = el('div', 'problems-year previous');
      before.appendChild(el('h3', null, prev ? `${prev.year}（上年 previous year）` : '（无上年报告 no previous report）'));
      if (prev) before.appendChild(el('div', 'problems-text', prev.problems ?? ''));
      row.appendChild(before);
      row.appendChild(cur);
      box.appendChild(row);
    });
    return box;
  }

  function renderBody(view, b) {
    view.textContent = '';
    const back = el('p', 'back');
    const a = el('a', null, '← 返回检索 Back to search');
    a.href = './';
    back.appendChild(a);
    view.appendChild(back);
    view.appendChild(el('h1', 'report-title', (b.names || []).join(' / ') || b.id));
    const meta = el('p', 'muted', `${b.region ?? ''} · ${b.reports.length} 份报告 reports`);
    view.appendChild(meta);
    const list = el('ol', 'body-reports');
    for (const r of b.reports) {
      const li = el('li');
      li.appendChild(reportLink(r.id, `${r.year ?? '?'} ${r.title}`));
      const tl = { on_time: '按时 on time', late: '逾期 late', unknown: '日期不明 unknown' }[r.timeliness] || r.timeliness;
      li.appendChild(el('span', 'timeliness ' + r.timeliness, ` ${r.published ?? ''} ${tl}`));
      list.appendChild(li);
    }
    view.appendChild(list);
    view.appendChild(figureTable(b));
    view.appendChild(problemsSide(b));
    document.title = ((b.names || [])[0] || b.id) + ' · gongkai';
  }

  async function show() {
    const m = location.hash.match(/^#\/body\/([0-9a-zA-Z]+)$/);
    const view = $('body-view');
    if (!view) return;
    if (!m) {
      if (!view.hidden) {
        view.hidden = true;
        view.textContent = '';
      }
      return;
    }
    for (const id of ['search-view', 'report-view']) if ($(id)) $(id).hidden = true;
    view.hidden = false;
    view.textContent = '加载… loading';
    try {
      const r = await fetch('/api/bodies/' + m[1], { headers: { Accept: 'application/json' } });
      const b = await r.json();
      if (!r.ok) throw new Error(b.error || r.status);
      renderBody(view, b);
    } catch (e) {
      view.textContent = '';
      view.appendChild(el('p', 'error', `⚠ 无法加载机关 ${m[1]}: ${e.message}`));
    }
  }
  // After app.js has drawn its view for the same navigation.
  const later = () => setTimeout(show, 0);
  window.addEventListener('hashchange', later);
  window.addEventListener('popstate', later);
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', later);
  else later();
})();
