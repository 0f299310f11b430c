// gongkai web UI: plain JS, no dependencies, no external resources.
// Safety rule: every string from the API is inserted with textContent /
// createTextNode. The only innerHTML is for search snippets, and only after
// checking that the only tags left are <mark> and </mark> (safeSnippet).
'use strict';
(function () {
  const $ = (id) => document.getElementById(id);

  // ---------- constants ----------
  const KEY_FIGS = [
    ['requests.new.total', '新收申请'],
    ['requests.granted.total', '予以公开'],
    ['review.total', '行政复议'],
    ['review.corrected', '复议纠正'],
    ['litigation.total', '行政诉讼'],
  ];
  const SHORT = new Map(KEY_FIGS);
  const SECTION_LABELS = {
    overview: '总体情况', proactive: '主动公开', requests: '依申请', appeals: '复议诉讼',
    problems: '问题与改进', other: '其他', title: '标题',
  };
  const LEVEL_LABELS = { province: '省级', prefecture: '市级', county: '县级', department: '部门' };
  const CHECK_LABELS = {
    requests_balance: '申请数平衡 (新收+结转 = 办理总计+结转下年)',
    requests_outcomes_sum: '办理结果合计 (各项结果之和 = 总计)',
    requests_columns_sum: '申请人列合计 (各列之和 = 总计列)',
    review_sum: '行政复议合计 (各项之和 = 总计)',
  };
  const CHECK_SHORT = {
    requests_balance: '申请数平衡', requests_outcomes_sum: '办理结果合计',
    requests_columns_sum: '申请人列合计', review_sum: '复议合计',
  };
  // Which cells a failed check concerns (to outline them in the report tables).
  const CHECK_CELLS = {
    requests_balance: (k) => /^requests\.(new|carried_in|handled|carried_over)\.total$/.test(k),
    requests_outcomes_sum: (k) => /^requests\.handled\./.test(k),
    requests_columns_sum: (k) => /^requests\.[a-z_.]+\.total$/.test(k),
    review_sum: (k) => /^review\./.test(k),
  };
  const CHECK_TABLE = (c) => (c.startsWith('review') || c.startsWith('litigation') ? 'appeals'
    : c.startsWith('requests') ? 'requests' : c.startsWith('proactive') ? 'proactive' : '');
  const TABLE_LABELS = { proactive: '表一 主动公开政府信息情况', requests: '表二 收到和处理政府信息公开申请情况', appeals: '表三 政府信息公开行政复议、行政诉讼情况' };
  const TABLE_SECTION = { proactive: 'proactive', requests: 'requests', appeals: 'appeals' };
  const FILTER_KEYS = ['q', 'section', 'year', 'region', 'issuer', 'issuer_exact', 'body', 'level', 'template', 'failed_check'];
  const WHERE_RE = /^([A-Za-z0-9_.]+)\s*(!=|<=|>=|=|<|>)\s*(.+)$/;
  const OP_SHOW = { '>=': '≥', '<=': '≤', '!=': '≠', '=': '=', '<': '<', '>': '>' };
  const ISSUER_TOP = 12;

  // ---------- tiny DOM helper: h('tag.class', {attrs}, children...) ----------
  function h(spec, attrs, ...kids) {
    const [tag, ...classes] = spec.split('.');
    const el = document.createElement(tag);
    if (classes.length) el.className = classes.join(' ');
    if (attrs) {
      for (const [k, v] of Object.entries(attrs)) {
        if (v === undefined || v === null || v === false) continue;
        if (k === 'text') el.textContent = String(v);
        else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
        else el.setAttribute(k, v === true ? '' : String(v));
      }
    }
    append(el, kids);
    return el;
  }
  function append(el, kids) {
    for (const c of kids.flat(Infinity)) {
      if (c === null || c === undefined || c === false) continue;
      el.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)));
    }
    return el;
  }
  const svgNS = 'http://www.w3.org/2000/svg';
  function s(tag, attrs, ...kids) {
    const el = document.createElementNS(svgNS, tag);
    for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, String(v));
    for (const c of kids) el.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)));
    return el;
  }
  const clear = (el) => { while (el.firstChild) el.removeChild(el.firstChild); return el; };

  // Snippet html from the server is escaped except <mark>. Re-check: after
  // removing exact <mark> / </mark>, no '<' or '>' may remain.
  function safeSnippet(el, html) {
    const str = String(html ?? '');
    if (/[<>]/.test(str.replace(/<\/?mark>/g, ''))) {
      el.textContent = str;
      el.classList.add('unsafe');
      el.title = '片段含意外标签，按纯文本显示 (snippet had unexpected markup; shown as text)';
    } else {
      el.innerHTML = str;
    }
    return el;
  }

  function fmt(v) {
    if (v === null || v === undefined || v === '' || (typeof v === 'number' && !isFinite(v))) return '—';
    if (typeof v !== 'number') return String(v);
    if (Number.isInteger(v)) return v.toLocaleString('zh-CN');
    return v.toLocaleString('zh-CN', { maximumFractionDigits: 2 });
  }
  function absentCell(td) {
    td.textContent = '—';
    td.classList.add('absent');
    td.title = '报告中未抽取到此数字 (absent, not zero)';
    return td;
  }

  // ---------- field dictionary ----------
  let FIELDS = [];
  const FIELD = new Map();
  const fieldLabel = (k) => (FIELD.get(k) ? FIELD.get(k).label_zh : k);
  const shortLabel = (k) => SHORT.get(k) || fieldLabel(k);
  const pickerValue = (k) => (FIELD.get(k) ? `${FIELD.get(k).label_zh} ｜ ${k}` : k);
  function resolveField(raw) {
    const v = String(raw || '').trim();
    if (!v) return null;
    const bar = v.lastIndexOf('｜');
    const cand = bar >= 0 ? v.slice(bar + 1).trim() : v;
    if (FIELD.has(cand)) return cand;
    if (!FIELDS.length && /^[a-z0-9_.]+$/.test(cand)) return cand; // dictionary unavailable
    const exact = FIELDS.filter((f) => f.label_zh === v);
    if (exact.length === 1) return exact[0].key;
    const part = FIELDS.filter((f) => f.label_zh.includes(v));
    if (part.length === 1) return part[0].key;
    return null;
  }
  async function loadFields() {
    try {
      const r = await fetch('/api/fields');
      if (!r.ok) throw new Error('HTTP ' + r.status);
      const list = await r.json();
      if (!Array.isArray(list)) throw new Error('bad /api/fields');
      FIELDS = list.filter((f) => f && typeof f.key === 'string');
      for (const f of FIELDS) {
        f.label_zh = String(f.label_zh ?? f.key);
        f.templates = Array.isArray(f.templates) ? f.templates.map(String) : [];
        FIELD.set(f.key, f);
      }
    } catch (e) {
      showError('无法加载数据字典 /api/fields: ' + e.message);
    }
    const dl = clear($('fields-list'));
    for (const f of FIELDS) dl.appendChild(h('option', { value: pickerValue(f.key) }));
    buildSortSelect();
  }

  // ---------- state <-> URL ----------
  function defaultState() {
    return { q: '', section: '', year: '', region: '', issuer: '', issuer_exact: '', body: '', level: '', template: '', failed_check: '',
      where: [], sort: 'relevance', page: 1, size: 20, cols: [], chart: '', agg: 'sum', group: 'year', report: '' };
  }
  function readState() {
    const p = new URLSearchParams(location.search);
    const st = defaultState();
    for (const k of FILTER_KEYS) st[k] = (p.get(k) || '').trim();
    st.where = p.getAll('where').map((w) => w.trim()).filter(Boolean);
    st.sort = p.get('sort') || 'relevance';
    st.page = Math.max(1, parseInt(p.get('page'), 10) || 1);
    const size = parseInt(p.get('size'), 10);
    st.size = [10, 20, 50, 100].includes(size) ? size : 20;
    st.cols = (p.get('cols') || '').split(',').map((x) => x.trim()).filter(Boolean);
    st.chart = p.get('chart') || '';
    st.agg = p.get('agg') || 'sum';
    st.group = p.get('group') || 'year';
    st.report = p.get('report') || '';
    const m = location.hash.match(/^#\/report\/(.+)$/);
    if (m) st.report = decodeURIComponent(m[1]);
    return st;
  }
  // Filter params shared by search, stats and export.
  function filterParams(st) {
    const p = new URLSearchParams();
    for (const k of FILTER_KEYS) if (st[k]) p.set(k, st[k]);
    for (const w of st.where) p.append('where', w);
    return p;
  }
  function pageUrl(st) {
    const p = filterParams(st);
    if (st.sort && st.sort !== 'relevance') p.set('sort', st.sort);
    if (st.page > 1) p.set('page', st.page);
    if (st.size !== 20) p.set('size', st.size);
    if (st.cols.length) p.set('cols', st.cols.join(','));
    if (st.chart) { p.set('chart', st.chart); p.set('agg', st.agg); p.set('group', st.group); }
    if (st.report) p.set('report', st.report);
    const qs = p.toString();
    return location.pathname + (qs ? '?' + qs : '');
  }
  // Figure columns shown in results and exported: key figures, extra columns,
  // figures used in where filters and in the sort.
  function shownFigures(st) {
    const out = KEY_FIGS.map((x) => x[0]);
    const add = (k) => { if (k && !out.includes(k) && (FIELD.has(k) || !FIELDS.length)) out.push(k); };
    st.cols.forEach(add);
    for (const w of st.where) { const m = w.match(WHERE_RE); if (m) add(m[1]); }
    const sk = st.sort.replace(/^-/, '');
    if (sk !== 'relevance' && sk !== 'year') add(sk);
    return out;
  }

  let state = defaultState();
  function navigate(next, opts) {
    state = Object.assign(defaultState(), next);
    const url = pageUrl(state);
    if (opts && opts.replace) history.replaceState(null, '', url);
    else history.pushState(null, '', url);
    render();
  }
  // Change filters: back to page 1, leave report view.
  function setFilters(patch) {
    navigate(Object.assign({}, state, patch, { page: 1, report: '' }));
  }

  // ---------- API ----------
  class ApiError extends Error {}
  async function api(url, signal) {
    let r;
    try {
      r = await fetch(url, { signal, headers: { Accept: 'application/json' } });
    } catch (e) {
      if (e.name === 'AbortError') throw e;
      throw new ApiError('无法连接服务器 (network error): ' + e.message);
    }
    let body = null;
    try { body = await r.json(); } catch (e) { /* not json */ }
    if (!r.ok) {
      const msg = body && typeof body.error === 'string' ? body.error : `HTTP ${r.status}`;
      throw new ApiError(msg);
    }
    if (body === null) throw new ApiError('服务器返回了无效的 JSON (invalid JSON)');
    return body;
  }

  // ---------- demo banner ----------
  function setDemo(flag) {
    if (typeof flag !== 'boolean') return;
    try { sessionStorage.setItem('gongkai.demo', flag ? '1' : '0'); } catch (e) { /* ignore */ }
    $('demo-banner').hidden = !flag;
    document.body.classList.toggle('is-demo', flag);
  }
  async function probeDemo() {
    try { setDemo((await api('/api/search?size=1')).demo === true); } catch (e) { /* ignore */ }
  }

  function showError(msg) {
    const el = $('search-error');
    el.textContent = msg ? '⚠ ' + msg : '';
    el.hidden = !msg;
  }

  // ---------- render ----------
  let searchCtl = null;
  let chartCtl = null;
  let lastSearchKey = '';
  function render() {
    syncControls();
    if (state.report) {
      $('search-view').hidden = true;
      $('report-view').hidden = false;
      loadReport(state.report);
    } else {
      const fromReport = $('search-view').hidden;
      $('report-view').hidden = true;
      $('search-view').hidden = false;
      if (fromReport) requestAnimationFrame(() => window.scrollTo(0, lastScroll));
      document.title = (state.q ? state.q + ' — ' : '') + '政府信息公开年报检索 · gongkai';
      runSearch();
      renderChart();
    }
  }

  function syncControls() {
    $('q').value = state.q;
    $('section').value = state.section;
    const yr = state.year.match(/^(\d{4})?\.\.(\d{4})?$/);
    $('year-from').value = yr ? yr[1] || '' : state.year;
    $('year-to').value = yr ? yr[2] || '' : state.year;
    $('size').value = String(state.size);
    $('failed-toggle').checked = state.where.includes('checks.failed');
    $('issuer-text').value = state.issuer;
    const desc = state.sort.startsWith('-');
    const sk = state.sort.replace(/^-/, '') || 'relevance';
    const sel = $('sort-field');
    if (![...sel.options].some((o) => o.value === sk)) sel.appendChild(h('option', { value: sk, text: fieldLabel(sk) }));
    sel.value = sk;
    const dir = $('sort-dir');
    dir.disabled = sk === 'relevance';
    dir.textContent = sk === 'relevance' ? '—' : desc ? '↓ 降序' : '↑ 升序';
    dir.setAttribute('aria-label', desc ? '降序 descending，点击切换' : '升序 ascending，点击切换');
    if (state.chart) {
      $('chart-panel').open = true;
      $('chart-field').value = pickerValue(state.chart);
      $('chart-agg').value = state.agg;
      $('chart-group').value = state.group;
    } else if (!$('chart-field').value) {
      $('chart-field').value = pickerValue('requests.new.total');
    }
    // Exports follow the sort shown; the CSV has Chinese headers (labels=key gives the keys).
    const exp = filterParams(state);
    if (state.sort && state.sort !== 'relevance') exp.set('sort', state.sort);
    exp.set('figures', shownFigures(state).join(','));
    exp.set('format', 'csv');
    exp.set('labels', 'zh');
    // Each figure followed by its change from the same body's previous year.
    exp.set('change', 'true');
    $('export-csv').href = '/api/export?' + exp.toString();
    exp.delete('labels');
    exp.set('format', 'jsonl');
    $('export-jsonl').href = '/api/export?' + exp.toString();
    renderChips();
  }

  function buildSortSelect() {
    const sel = clear($('sort-field'));
    sel.appendChild(h('option', { value: 'relevance', text: '相关度 relevance' }));
    sel.appendChild(h('option', { value: 'year', text: '年份 year' }));
    const key = h('optgroup', { label: '关键数字 key figures' });
    for (const [k, l] of KEY_FIGS) key.appendChild(h('option', { value: k, text: l }));
    sel.appendChild(key);
    const groups = {};
    for (const f of FIELDS) {
      if (SHORT.has(f.key)) continue;
      (groups[f.table] = groups[f.table] || h('optgroup', { label: TABLE_LABELS[f.table] || f.table }))
        .appendChild(h('option', { value: f.key, text: f.label_zh }));
    }
    Object.values(groups).forEach((g) => sel.appendChild(g));
  }

  // ----- chips -----
  function whereChipText(w) {
    if (w === 'checks.failed') return '校验未通过 checks.failed';
    const m = w.match(WHERE_RE);
    if (!m) return w;
    return `${shortLabel(m[1])} ${OP_SHOW[m[2]] || m[2]} ${m[3]}`;
  }
  function renderChips() {
    const box = clear($('chips'));
    const chip = (label, value, onRemove, title) => h('span.chip', { title: title || null },
      h('span.chip-k', { text: label }), h('span.chip-v', { text: value }),
      h('button.chip-x', { type: 'button', 'aria-label': `移除筛选 remove ${label} ${value}`, onclick: onRemove }, '×'));
    const names = { section: '章节', year: '年份', region: '地区', issuer: '机关名称包含', issuer_exact: '机关', body: '同一机关的各版本', level: '层级', template: '模板', failed_check: '校验未通过' };
    let n = 0;
    for (const k of Object.keys(names)) {
      if (!state[k]) continue;
      let v = state[k];
      if (k === 'section') v = SECTION_LABELS[v] || v;
      if (k === 'level') v = LEVEL_LABELS[v] || v;
      if (k === 'failed_check') v = CHECK_SHORT[v] || v;
      if (k === 'body') v = bodyNames.get(v) || v;
      box.appendChild(chip(names[k], v, () => setFilters({ [k]: '' })));
      n++;
    }
    state.where.forEach((w, i) => {
      box.appendChild(chip('数字', whereChipText(w),
        () => setFilters({ where: state.where.filter((_, j) => j !== i) }), 'where=' + w));
      n++;
    });
    for (const c of state.cols) {
      box.appendChild(chip('列', shortLabel(c), () => setFilters({ cols: state.cols.filter((x) => x !== c) }), c));
    }
    if (n > 1 || (n && state.q)) {
      box.appendChild(h('button.link', { type: 'button', onclick: () => navigate(Object.assign(defaultState(), { size: state.size })) }, '清除全部 Clear all'));
    }
    box.hidden = !box.firstChild;
  }

  // ----- search -----
  async function runSearch() {
    const p = filterParams(state);
    if (state.sort && state.sort !== 'relevance') p.set('sort', state.sort);
    p.set('page', state.page);
    p.set('size', state.size);
    p.set('figures', shownFigures(state).join(','));
    const url = '/api/search?' + p.toString();
    if (url === lastSearchKey && $('results').childElementCount) return; // same view (e.g. back from chart toggle)
    if (searchCtl) searchCtl.abort();
    searchCtl = new AbortController();
    const res = $('results');
    res.setAttribute('aria-busy', 'true');
    res.classList.add('loading');
    let data;
    try {
      data = await api(url, searchCtl.signal);
    } catch (e) {
      if (e.name === 'AbortError') return;
      res.classList.remove('loading');
      res.removeAttribute('aria-busy');
      showError(e.message);
      if ($('demo-banner').hidden) probeDemo(); // the banner must show on error views too
      clear(res);
      $('summary').textContent = '检索失败 Search failed';
      clear($('pager'));
      lastSearchKey = '';
      return;
    }
    lastSearchKey = url;
    showError('');
    res.classList.remove('loading');
    res.removeAttribute('aria-busy');
    setDemo(data.demo === true);
    renderSummary(data);
    renderFacets(data.facets || {});
    if (state.body) renderChips(); // the body chip can now show the issuer's name
    renderHits(data.hits || [], shownFigures(state), data.suggestions);
    renderPager(Number(data.total) || 0, state.page, state.size);
  }

  function renderSummary(d) {
    const total = Number(d.total) || 0;
    const from = total ? (state.page - 1) * state.size + 1 : 0;
    const to = Math.min(total, state.page * state.size);
    const el = clear($('summary'));
    append(el, [h('strong', { text: fmt(total) }), ' 份报告 reports',
      total ? ` · 第 ${fmt(from)}–${fmt(to)} 条` : '',
      typeof d.took_ms === 'number' ? h('span.muted', { text: ` · ${d.took_ms} ms` }) : null]);
  }

  function reportHref(id) {
    return pageUrl(Object.assign({}, state, { report: String(id) }));
  }
  function openReport(ev, id) {
    if (ev.button !== 0 || ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.altKey) return;
    ev.preventDefault();
    lastScroll = window.scrollY;
    navigate(Object.assign({}, state, { report: String(id) }));
  }
  let lastScroll = 0;

  // Queries that would match (the phrase unquoted, its words), with counts.
  function suggestionList(list) {
    const li = h('li.suggest', null, h('span', { text: '可以试试 Try: ' }));
    list.forEach((sg, i) => {
      const q = String(sg.q ?? '');
      const st = Object.assign({}, state, { q, page: 1, report: '' });
      append(li, [i ? '、' : '', h('a.suggestion', {
        href: pageUrl(st), title: '检索 ' + q,
        onclick: (e) => { if (e.button || e.ctrlKey || e.metaKey) return; e.preventDefault(); setFilters({ q }); },
      }, h('span.s-q', { text: q }), h('span.f-count', { text: ` (${fmt(Number(sg.count) || 0)})` }))]);
    });
    return li;
  }
  // Only http: and https: URLs become links (a manifest may hold javascript: or worse).
  function safeUrl(u) {
    if (typeof u !== 'string') return '';
    try {
      const x = new URL(u);
      return x.protocol === 'http:' || x.protocol === 'https:' ? x.href : '';
    } catch (e) { return ''; }
  }
  function renderHits(hits, figs, suggestions) {
    suggestions = Array.isArray(suggestions) ? suggestions : [];
    const ol = clear($('results'));
    ol.start = (state.page - 1) * state.size + 1;
    if (!hits.length) {
      ol.appendChild(h('li.empty', null, '没有符合条件的报告。No matching reports — 试试减少筛选条件或检索词。'));
      if (suggestions.length) ol.appendChild(suggestionList(suggestions));
      return;
    }
    for (const hit of hits) {
      const id = String(hit.id ?? '');
      const failed = Array.isArray(hit.failed_checks) ? hit.failed_checks.map(String) : [];
      const region = hit.region && hit.region.path ? String(hit.region.path) : '';
      const li = h('li.hit' + (failed.length ? '.has-failed' : ''));
      li.appendChild(h('h3.hit-title', null,
        h('a', { href: reportHref(id), onclick: (e) => openReport(e, id), text: hit.title || '(无标题 untitled)' })));
      const meta = h('p.meta');
      const bit = (cls, text, title) => h('span.' + cls, { text, title: title || null });
      append(meta, [
        hit.year != null ? bit('m-year', hit.year + '年') : null,
        region ? h('button.m-region.linklike', { type: 'button', title: '按此地区筛选 filter by region', onclick: () => setFilters({ region }), text: region.split('/').join(' › ') }) : bit('m-region.muted', '地区未识别'),
        hit.issuer ? h('button.m-issuer.linklike', { type: 'button', title: '只看此机关（精确）filter by this issuer', onclick: () => setFilters({ issuer_exact: String(hit.issuer), issuer: '' }), text: hit.issuer }) : null,
        hit.level ? bit('m-level', LEVEL_LABELS[hit.level] || hit.level) : null,
        hit.template ? bit('m-template', '模板 ' + hit.template, '表格模板 table template') : null,
        safeUrl(hit.url) ? h('a.m-url', { href: safeUrl(hit.url), rel: 'noopener noreferrer', target: '_blank', title: hit.url, text: '原文 source' }) : null,
      ]);
      if (failed.length) {
        const fc = h('span.failed', { title: '校验未通过 failed checks' }, '✗ 校验未通过：');
        failed.forEach((c, i) => append(fc, [i ? '、' : '', h('span', { text: CHECK_SHORT[c] || c, title: CHECK_LABELS[c] || c })]));
        meta.appendChild(fc);
      }
      li.appendChild(meta);
      const snips = Array.isArray(hit.snippets) ? hit.snippets : [];
      if (snips.length) {
        const box = h('div.snips');
        for (const sn of snips.slice(0, 3)) {
          if (!sn) continue;
          const sec = String(sn.section ?? '');
          box.appendChild(h('p.snip', null, h('span.sec-tag', { text: SECTION_LABELS[sec] || sec || '—', title: sec }), ' ',
            safeSnippet(h('span.snip-text'), sn.html)));
        }
        li.appendChild(box);
      }
      const fvals = hit.figures && typeof hit.figures === 'object' ? hit.figures : {};
      const dl = h('dl.figs');
      for (const k of figs) {
        const v = fvals[k];
        const dd = h('dd', { text: fmt(typeof v === 'number' ? v : v == null ? null : Number(v)) });
        if (v == null) { dd.classList.add('absent'); dd.title = '未抽取到 absent'; }
        dl.appendChild(h('div.fig', { title: `${fieldLabel(k)} (${k})` }, h('dt', { text: shortLabel(k) }), dd));
      }
      li.appendChild(dl);
      ol.appendChild(li);
    }
  }

  function renderPager(total, page, size) {
    const nav = clear($('pager'));
    const pages = Math.ceil(total / size);
    if (pages <= 1) return;
    const link = (p, label, aria, current) => {
      if (p < 1 || p > pages) return h('span.pg.disabled', { 'aria-hidden': 'true', text: label });
      const st = Object.assign({}, state, { page: p });
      return h('a.pg' + (current ? '.current' : ''), {
        href: pageUrl(st), 'aria-label': aria, 'aria-current': current ? 'page' : null, text: label,
        onclick: (e) => { if (e.button || e.ctrlKey || e.metaKey) return; e.preventDefault(); navigate(st); window.scrollTo(0, 0); },
      });
    };
    nav.appendChild(link(page - 1, '‹ 上一页', '上一页 previous page'));
    const set = new Set([1, pages]);
    for (let i = page - 2; i <= page + 2; i++) if (i >= 1 && i <= pages) set.add(i);
    let prev = 0;
    for (const p of [...set].sort((a, b) => a - b)) {
      if (p - prev > 1) nav.appendChild(h('span.pg.gap', { text: '…' }));
      nav.appendChild(link(p, String(p), `第 ${p} 页`, p === page));
      prev = p;
    }
    nav.appendChild(link(page + 1, '下一页 ›', '下一页 next page'));
  }

  // ----- facets -----
  const expanded = new Set();
  function facetButton(label, count, active, onclick, title) {
    return h('button.facet-btn' + (active ? '.active' : ''), { type: 'button', 'aria-pressed': active ? 'true' : 'false', onclick, title: title || null },
      h('span.f-name', { text: label }), h('span.f-count', { text: fmt(Number(count) || 0) }));
  }
  function renderFacetList(id, items, key, labelOf, opts) {
    const box = clear($(id));
    items = Array.isArray(items) ? items : [];
    const cur = state[key];
    if (!items.length && !cur) { box.appendChild(h('p.muted.small', { text: '—' })); return; }
    let list = items;
    const limit = opts && opts.limit;
    const more = limit && items.length > limit && !box.dataset.all;
    if (more) list = items.slice(0, limit);
    if (cur && !list.some((it) => String(it.value) === cur)) list = [{ value: cur, count: 0 }].concat(list);
    const ul = h('ul');
    for (const it of list) {
      const v = String(it.value ?? '');
      const active = v === cur;
      ul.appendChild(h('li', null, facetButton(labelOf ? labelOf(v) : v, it.count, active,
        () => setFilters({ [key]: active ? '' : v }), v)));
    }
    box.appendChild(ul);
    if (limit && items.length > limit) {
      box.appendChild(h('button.link.small', { type: 'button', onclick: () => {
        if (box.dataset.all) delete box.dataset.all; else box.dataset.all = '1';
        renderFacetList(id, items, key, labelOf, opts);
      }, text: box.dataset.all ? '收起 less' : `更多 more (${items.length - limit})` }));
    }
  }
  function renderFacets(f) {
    renderRegionTree(f.region || []);
    renderFacetList('facet-year', f.year, 'year', null);
    renderFacetList('facet-level', f.level, 'level', (v) => `${LEVEL_LABELS[v] || v}`);
    renderFacetList('facet-issuer', f.issuer, 'issuer_exact', null, { limit: ISSUER_TOP });
    renderVersionFacet(f.versions);
    renderFacetList('facet-template', f.template, 'template', (v) => v + ' 版');
    renderFacetList('facet-failed', f.failed_checks, 'failed_check', (v) => CHECK_SHORT[v] || v);
  }
  // Body names of the versions facet, for the chip of a `body` filter.
  const bodyNames = new Map();
  // Bodies with several reports for one year: a click lists them all.
  function renderVersionFacet(items) {
    const box = clear($('facet-versions'));
    items = Array.isArray(items) ? items : [];
    if (!items.length) { box.appendChild(h('p.muted.small', { text: '—' })); return; }
    const ul = h('ul');
    for (const it of items) {
      const body = String(it.body ?? ''), year = String(it.year ?? '');
      const name = `${it.issuer || body} ${year}`;
      bodyNames.set(body, String(it.issuer || body));
      const active = state.body === body && state.year === year;
      ul.appendChild(h('li', null, facetButton(name, it.count, active,
        () => setFilters(active ? { body: '', year: '' } : { body, year }), '同一机关同一年度的 ' + it.count + ' 份报告')));
    }
    box.appendChild(ul);
  }
  // The region tree is an ARIA tree with one Tab stop (roving tabindex): arrow
  // keys move between visible items, Right/Left open and close, Enter or
  // Space filters on the focused region.
  let treeFocus = '';
  function renderRegionTree(nodes) {
    const hadFocus = $('facet-region').contains(document.activeElement) || !!treeFocus;
    const box = clear($('facet-region'));
    const cur = state.region;
    if (cur) {
      // keep ancestors of the active region open
      const parts = cur.split('/');
      for (let i = 1; i <= parts.length; i++) expanded.add(parts.slice(0, i).join('/'));
    }
    if (!nodes.length) { box.appendChild(h('p.muted.small', { text: cur ? '' : '—' })); }
    const build = (list, depth) => {
      const ul = h('ul', depth ? { role: 'group' } : { role: 'tree', 'aria-label': '地区 Region' });
      for (const n of list) {
        if (!n) continue;
        const path = String(n.path ?? n.name ?? '');
        const kids = Array.isArray(n.children) ? n.children : [];
        const open = expanded.has(path);
        const active = path === cur;
        const name = String(n.name ?? path);
        const toggle = () => { if (expanded.has(path)) expanded.delete(path); else expanded.add(path); treeFocus = path; rerender(); };
        const li = h('li.tree-item', {
          role: 'treeitem', tabindex: '-1', 'aria-level': depth + 1, 'aria-selected': active ? 'true' : 'false',
          'aria-expanded': kids.length ? (open ? 'true' : 'false') : null, 'data-path': path, title: path,
          'aria-label': `${name} ${fmt(Number(n.count) || 0)}`,
        });
        const row = h('span.tree-row.facet-btn' + (active ? '.active' : ''), {
          onclick: () => setFilters({ region: active ? '' : path }),
        });
        if (kids.length) {
          row.appendChild(h('span.tree-toggle', { 'aria-hidden': 'true', title: open ? '收起' : '展开',
            onclick: (e) => { e.stopPropagation(); toggle(); } }, open ? '▾' : '▸'));
        } else row.appendChild(h('span.tree-spacer', { 'aria-hidden': 'true' }));
        row.appendChild(h('span.f-name', { text: name }));
        row.appendChild(h('span.f-count', { text: fmt(Number(n.count) || 0) }));
        li.appendChild(row);
        li._toggle = kids.length ? toggle : null;
        li._select = () => { treeFocus = path; setFilters({ region: active ? '' : path }); };
        if (kids.length && open) li.appendChild(build(kids, depth + 1));
        ul.appendChild(li);
      }
      return ul;
    };
    const rerender = () => renderRegionTree(nodes);
    const tree = build(nodes, 0);
    box.appendChild(tree);
    const items = [...tree.querySelectorAll('[role=treeitem]')];
    const stop = items.find((li) => li.dataset.path === treeFocus) || items.find((li) => li.dataset.path === cur) || items[0];
    if (stop) {
      stop.tabIndex = 0;
      if (hadFocus) stop.focus();
    }
    treeFocus = '';
    tree.addEventListener('keydown', (e) => treeKey(e, tree));
    tree.addEventListener('focusin', (e) => {
      const li = e.target.closest('[role=treeitem]');
      if (!li) return;
      for (const it of tree.querySelectorAll('[role=treeitem]')) it.tabIndex = it === li ? 0 : -1;
    });
    if (cur && !box.querySelector('.facet-btn.active')) {
      box.appendChild(h('p.small', null, facetButton(cur, 0, true, () => setFilters({ region: '' }), cur)));
    }
  }
  function treeKey(e, tree) {
    const li = e.target.closest('[role=treeitem]');
    if (!li || e.altKey || e.ctrlKey || e.metaKey) return;
    // visible items in document order (collapsed groups are not rendered)
    const items = [...tree.querySelectorAll('[role=treeitem]')];
    const i = items.indexOf(li);
    const go = (el) => { if (el) { e.preventDefault(); el.focus(); } };
    const parent = li.parentElement.closest('[role=treeitem]');
    switch (e.key) {
      case 'ArrowDown': go(items[i + 1]); break;
      case 'ArrowUp': go(items[i - 1]); break;
      case 'Home': go(items[0]); break;
      case 'End': go(items[items.length - 1]); break;
      case 'ArrowRight':
        e.preventDefault();
        if (li.getAttribute('aria-expanded') === 'false') li._toggle();
        else if (li.getAttribute('aria-expanded') === 'true') go(li.querySelector('[role=treeitem]'));
        break;
      case 'ArrowLeft':
        e.preventDefault();
        if (li.getAttribute('aria-expanded') === 'true') li._toggle();
        else go(parent);
        break;
      case 'Enter': case ' ':
        e.preventDefault();
        li._select();
        break;
      default:
    }
  }

  // ----- chart -----
  // The 31 province-level divisions of the mainland (gazetteer names): a
  // province chart lists the ones with no data as such.
  const PROVINCES = ['北京市', '天津市', '河北省', '山西省', '内蒙古自治区', '辽宁省', '吉林省', '黑龙江省', '上海市', '江苏省',
    '浙江省', '安徽省', '福建省', '江西省', '山东省', '河南省', '湖北省', '湖南省', '广东省', '广西壮族自治区', '海南省', '重庆市',
    '四川省', '贵州省', '云南省', '西藏自治区', '陕西省', '甘肃省', '青海省', '宁夏回族自治区', '新疆维吾尔自治区'];
  const UNKNOWN_GROUP = {
    year: ['年份不明', '这些报告中未能识别出报告年度'],
    region: ['地区不明', '这些报告中未能识别出所属地区（标题和正文中没有可识别的地名）'],
    issuer: ['机关不明', '这些报告中未能识别出发布机关'],
  };
  let chartBlob = null;
  const AGG_NAMES = { sum: '合计', mean: '平均', count: '报告数', max: '最大', min: '最小', share: '占全部报告的比例' };
  async function renderChart() {
    const box = $('chart');
    if (!state.chart) { clear(box); return; }
    if (chartCtl) chartCtl.abort();
    chartCtl = new AbortController();
    const [group, level] = state.group.split(':');
    const groupParams = (p) => {
      p.set('group', group);
      if (group === 'region') p.set('region_level', level || 'province');
      return p;
    };
    const p = groupParams(filterParams(state));
    p.set('figure', state.chart);
    clear(box).appendChild(h('p.muted', { text: '加载中… loading' }));
    let data, all;
    try {
      // the same groups over every report: the denominator of the shares
      [data, all] = await Promise.all([api('/api/stats?' + p.toString(), chartCtl.signal),
        api('/api/stats?' + groupParams(new URLSearchParams()).toString(), chartCtl.signal)]);
    } catch (e) {
      if (e.name === 'AbortError') return;
      clear(box).appendChild(h('p.error', { role: 'alert', text: '⚠ ' + e.message }));
      return;
    }
    drawBars(clear(box), chartRows(data, all, state.agg, group, level), state.agg, group);
  }
  // Rows of the chart: the groups of the result set, each with its share of
  // all reports in the group; for provinces, every province.
  function chartRows(data, all, agg, group, level) {
    const totals = new Map((Array.isArray(all.rows) ? all.rows : []).map((r) => [String(r.key ?? ''), Number(r.count) || 0]));
    const rows = (Array.isArray(data.rows) ? data.rows : []).map((r) => {
      const key = String(r.key ?? ''), count = Number(r.count) || 0, total = totals.get(key) || 0;
      const share = total ? count / total : null;
      return { key, count, n: Number(r.n) || 0, total, share, v: agg === 'share' ? share : r[agg] == null ? null : Number(r[agg]) };
    });
    if (group === 'region' && (level || 'province') === 'province') {
      for (const name of PROVINCES) {
        if (rows.some((r) => r.key === name)) continue;
        const total = totals.get(name) || 0;
        rows.push({ key: name, count: 0, n: 0, total, share: total ? 0 : null, v: null, none: total ? '无匹配报告' : '无报告' });
      }
    }
    return rows;
  }
  const groupLabel = (group, key) => {
    if (key === 'unknown' && UNKNOWN_GROUP[group]) return UNKNOWN_GROUP[group][0];
    return group === 'region' ? key.split('/').pop() : key;
  };
  const pct = (x) => (x == null ? '—' : (x * 100).toLocaleString('zh-CN', { maximumFractionDigits: 1 }) + '%');
  function drawBars(box, rows, agg, group) {
    const aggName = AGG_NAMES[agg] || agg;
    const show = (v) => (agg === 'share' ? pct(v) : fmt(v));
    const groupName = group === 'year' ? '年份' : group === 'issuer' ? '机关' : '地区';
    const title = agg === 'share' ? `检索结果占全部报告的比例 · 按${groupName}` : `${zhLabel(fieldLabel(state.chart))} · ${aggName} · 按${groupName}`;
    const hasData = rows.filter((r) => !r.none);
    box.appendChild(h('p.chart-title', null, h('strong', { text: title }), h('span.muted', { text: agg === 'share'
      ? `  (当前检索结果中的报告数 ÷ 全部报告数，共 ${hasData.reduce((a, r) => a + r.count, 0)} 份)`
      : `  (${state.chart}，${hasData.reduce((a, r) => a + r.n, 0)} 份报告有此数字)` })));
    if (!hasData.length) { box.appendChild(h('p.muted', { text: '无数据：当前结果集中没有报告含此数字' })); return; }
    if (group === 'year') rows.sort((a, b) => a.key.localeCompare(b.key));
    else rows.sort((a, b) => (!!a.none - !!b.none) || ((b.v ?? -Infinity) - (a.v ?? -Infinity)));
    const MAX_ROWS = 40;
    const shown = rows.slice(0, Math.max(MAX_ROWS, rows.filter((r) => r.none).length + 8));
    const cut = rows.length - shown.length;
    const vals = shown.map((r) => r.v).filter((v) => v != null && isFinite(v));
    const max = Math.max(0, ...vals);
    const min = Math.min(0, ...vals);
    // drawn at the box's own width so labels keep their size on a phone
    const W = Math.max(300, Math.min(900, box.clientWidth || 760));
    const labelW = Math.round(Math.min(170, W * 0.3)), valW = agg === 'share' ? 64 : 80, rowH = 22, top = 4;
    const plotW = W - labelW - valW;
    const maxChars = Math.max(4, Math.floor((labelW - 10) / 13));
    const x = (v) => labelW + ((v - min) / ((max - min) || 1)) * plotW;
    const H = top + shown.length * rowH + 4;
    const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img', 'aria-label': title, class: 'bars' });
    svg.appendChild(s('title', {}, title));
    if (min < 0) svg.appendChild(s('line', { x1: x(0), x2: x(0), y1: 0, y2: H, class: 'zero' }));
    shown.forEach((r, i) => {
      const y = top + i * rowH;
      const g = s('g', { class: 'bar-row' + (r.none ? ' none' : '') + (r.key === 'unknown' ? ' unknown' : '') });
      const label = groupLabel(group, r.key);
      const explain = r.key === 'unknown' && UNKNOWN_GROUP[group] ? `${label}：${UNKNOWN_GROUP[group][1]}` : r.key;
      g.appendChild(s('title', {}, r.none ? `${explain}：${r.none}` : `${explain}：${aggName} ${show(r.v)}（${r.count} / ${r.total} 份报告）`));
      g.appendChild(s('text', { x: labelW - 8, y: y + rowH / 2 + 4, 'text-anchor': 'end', class: 'lbl' }, label.length > maxChars ? label.slice(0, maxChars - 1) + '…' : label));
      if (r.v != null && isFinite(r.v)) {
        const x0 = x(Math.min(0, r.v)), x1 = x(Math.max(0, r.v));
        g.appendChild(s('rect', { x: x0, y: y + 3, width: Math.max(1, x1 - x0), height: rowH - 6, rx: 2, class: r.v < 0 ? 'neg' : 'pos' }));
        g.appendChild(s('text', { x: Math.min(x1 + 6, W - valW + 6), y: y + rowH / 2 + 4, class: 'val' }, show(r.v)));
      } else {
        g.appendChild(s('text', { x: labelW + 4, y: y + rowH / 2 + 4, class: 'val muted' }, r.none || '—'));
      }
      svg.appendChild(g);
    });
    box.appendChild(h('div.chart-scroll', null, svg));
    if (cut) box.appendChild(h('p.muted.small', { text: `另有 ${cut} 组未画出（见数据表和 CSV）` }));
    // the data as a table and as CSV
    const head = [groupName, '当前结果报告数', '有此数字的报告数', '全部报告数', '占全部报告比例', `${zhLabel(fieldLabel(state.chart))}·${aggName}`];
    const cells = (r) => [r.key === 'unknown' && UNKNOWN_GROUP[group] ? UNKNOWN_GROUP[group][0] : r.key, r.count, r.n, r.total, r.share, r.none ? null : r.v];
    const t = h('table.data.chart-data');
    t.appendChild(h('thead', null, h('tr', null, head.map((c) => h('th', { scope: 'col', text: c })))));
    const tb = h('tbody');
    for (const r of rows) {
      const c = cells(r);
      tb.appendChild(h('tr' + (r.none ? '.none' : ''), null, h('th', { scope: 'row', text: c[0], title: r.key === 'unknown' ? UNKNOWN_GROUP[group][1] : null }),
        h('td.num', { text: fmt(c[1]) }), h('td.num', { text: fmt(c[2]) }), h('td.num', { text: fmt(c[3]) }), h('td.num', { text: pct(c[4]) }),
        h('td.num', { text: r.none ? r.none : show(c[5]) })));
    }
    t.appendChild(tb);
    const csv = [head].concat(rows.map((r) => cells(r).map((v, i) => (v == null ? '' : i === 4 ? Number(v).toFixed(4) : String(v)))))
      .map((line) => line.map(csvCell).join(',')).join('\r\n') + '\r\n';
    if (chartBlob) URL.revokeObjectURL(chartBlob);
    chartBlob = URL.createObjectURL(new Blob(['\ufeff' + csv], { type: 'text/csv;charset=utf-8' }));
    const link = h('a.button.chart-csv', { href: chartBlob,
      download: `gongkai-chart-${state.chart}-${agg}-${state.group.replace(':', '-')}.csv` }, '下载图表数据 CSV');
    box.appendChild(h('p.chart-tools', null, link));
    box.appendChild(h('details.small', null, h('summary', { text: '数据表' }), h('div.table-wrap', null, t)));
  }
  // A CSV cell; a leading = + - @ is neutralised so a spreadsheet does not run it.
  function csvCell(v) {
    let x = String(v);
    if (/^[=+\-@\t\r]/.test(x) && !/^-?\d+(\.\d+)?$/.test(x)) x = "'" + x;
    return /[",\r\n]/.test(x) ? '"' + x.replace(/"/g, '""') + '"' : x;
  }

  // ---------- report view ----------
  let reportCtl = null;
  async function loadReport(id) {
    const view = $('report-view');
    if (view.dataset.id === id && view.childElementCount) return;
    if (reportCtl) reportCtl.abort();
    reportCtl = new AbortController();
    clear(view).appendChild(h('p.muted', { text: '加载报告… loading report' }));
    view.dataset.id = '';
    let r;
    try {
      r = await api('/api/reports/' + encodeURIComponent(id), reportCtl.signal);
    } catch (e) {
      if (e.name === 'AbortError') return;
      clear(view);
      view.appendChild(backLink());
      view.appendChild(h('p.error', { role: 'alert', text: `⚠ 无法加载报告 ${id}: ${e.message}` }));
      return;
    }
    if (typeof r.demo === 'boolean') setDemo(r.demo);
    view.dataset.id = id;
    renderReport(view, r);
    window.scrollTo(0, 0);
    $('main').focus({ preventScroll: true });
  }
  function backLink() {
    const st = Object.assign({}, state, { report: '' });
    return h('p.back', null, h('a', {
      href: pageUrl(st),
      onclick: (e) => {
        if (e.button || e.ctrlKey || e.metaKey) return;
        e.preventDefault();
        if (history.state && history.state.fromSearch) history.back();
        else navigate(st);
      },
    }, '← 返回检索结果 Back to results'));
  }

  // Where the report came from: the original URL (a link only when http/https),
  // the format read, and the ingested file for download.
  function sourceRows(meta, r) {
    const id = String(r.id ?? '');
    const dd = (...kids) => meta.appendChild(h('div', null, h('dt', { text: '来源 Source' }), h('dd.source', null, ...kids)));
    const url = safeUrl(r.url);
    if (url) dd(h('a.source-url', { href: url, rel: 'noopener noreferrer', target: '_blank', text: url }));
    else if (r.url) dd(h('span.source-url.muted', { text: String(r.url), title: '不是 http/https 链接，不可点击 not an http(s) link' }));
    const fmtName = { html: 'HTML', text: '纯文本 text', pdf: 'PDF', docx: 'Word (.docx)' }[r.format] || r.format;
    meta.appendChild(h('div', null, h('dt', { text: '来源文件 File' }), h('dd', null,
      h('a.source-file', { href: '/api/reports/' + encodeURIComponent(id) + '/file', download: '', text: String(r.path ?? '') }),
      fmtName ? h('span.muted', { text: ` · ${fmtName}` }) : null)));
  }
  // The other reports of the same body and year.
  function versionsBox(r) {
    const list = Array.isArray(r.versions) ? r.versions : [];
    if (!list.length) return null;
    const box = h('section.versions', { 'aria-label': '其他版本 Versions' },
      h('h2', { text: `同一机关同一年度的其他版本 Other versions (${list.length})` }),
      h('p.muted.small', { text: r.of_record ? '本报告为统计所用的版本（已知数字最多、最新）。' : '统计使用的是标为"统计版本"的那一份。' }));
    const ul = h('ul');
    for (const v of list) {
      const vid = String(v.id ?? '');
      ul.appendChild(h('li', null,
        h('a', { href: reportHref(vid), onclick: (e) => openReport(e, vid), text: v.title || vid }),
        h('span.muted', { text: ` · ${v.published || '发布日期未知'} · ${fmt(Number(v.figures) || 0)} 项数字` }),
        v.of_record ? h('span.badge', { text: ' 统计版本 of record' }) : null));
    }
    box.appendChild(ul);
    return box;
  }
  // Where the copy pass found this report's problems section: the same body's
  // previous report, then the most similar report of another body.
  const COPY_KINDS = [
    { key: 'previous_year', cls: 'copied-prev', label: '与上年报告相同 same as the previous year\'s report', tag: '上年' },
    { key: 'other_body', cls: 'copied-other', label: '与同年其他机关报告相同 same as another body\'s report', tag: '他机关' },
  ];
  function copiedSources(r) {
    const c = r.copied && typeof r.copied === 'object' ? r.copied : {};
    return COPY_KINDS.filter((k) => c[k.key] && c[k.key].id)
      .map((k) => ({ kind: k, src: Object.assign({ marks: [] }, c[k.key], { marks: Array.isArray(c[k.key].marks) ? c[k.key].marks : [] }) }));
  }
  function sourceLink(kind, src, text) {
    const sid = String(src.id);
    return h('a.copy-source', { href: reportHref(sid), onclick: (e) => openReport(e, sid), text,
      title: `${kind.label}: ${src.year ?? ''} ${src.issuer ?? ''} ${src.title ?? ''}` });
  }
  function copiedBox(r) {
    const list = copiedSources(r);
    if (!list.length) return null;
    const box = h('div.copied-box', { role: 'note' });
    for (const { kind, src } of list) {
      const share = typeof src.share === 'number' ? `${(src.share * 100).toFixed(1)}%` : '—';
      box.appendChild(h('p.copied-summary', null, h('mark.' + kind.cls, { text: kind.tag }),
        ` 本节 ${share} 的文字见于 ${kind.key === 'previous_year' ? '本机关上年报告' : '其他机关同年报告'}：`,
        sourceLink(kind, src, `${src.year ?? ''} ${src.issuer ?? ''} ${src.title ?? src.id}`)));
    }
    return box;
  }
  // The problems text with the copied passages marked (previous year first
  // where both sources hold a passage), each followed by a link to its source.
  function copiedText(text, r, terms) {
    const el = h('div.sec-text.problems-copied');
    const chars = Array.from(text);
    const by = new Array(chars.length).fill(-1);
    const list = copiedSources(r);
    list.forEach(({ src }, i) => {
      for (const m of src.marks) {
        const [a, b] = [Number(m[0]), Number(m[1])];
        for (let j = Math.max(0, a); j < Math.min(b, chars.length); j++) if (by[j] < 0) by[j] = i;
      }
    });
    let at = 0;
    while (at < chars.length) {
      let end = at;
      while (end < chars.length && by[end] === by[at]) end++;
      const piece = chars.slice(at, end).join('');
      if (by[at] < 0) highlight(el, piece, terms);
      else {
        const { kind, src } = list[by[at]];
        el.appendChild(highlight(h('mark.copied.' + kind.cls, { title: kind.label, 'data-source': String(src.id) }), piece, terms));
        el.appendChild(h('sup', null, sourceLink(kind, src, kind.tag)));
      }
      at = end;
    }
    return el;
  }
  function renderReport(view, r) {
    clear(view);
    const title = String(r.title ?? '(无标题 untitled)');
    document.title = title + ' · gongkai';
    view.appendChild(backLink());
    const terms = queryTerms(state.q);
    view.appendChild(highlight(h('h1.report-title'), title, terms));

    const checks = r.checks && typeof r.checks === 'object' ? r.checks : {};
    const failed = Object.keys(checks).filter((k) => checks[k] === false);
    const region = r.region && r.region.path ? `${r.region.path}${r.region.code ? ' (' + r.region.code + ')' : ''}` : '未识别出地区';
    const meta = h('dl.report-meta');
    const row = (k, v) => { if (v !== undefined && v !== null && v !== '') meta.appendChild(h('div', null, h('dt', { text: k }), h('dd', { text: String(v) }))); };
    row('年份 Year', r.year);
    row('地区 Region', region);
    row('发布机关 Issuer', r.issuer);
    row('层级 Level', LEVEL_LABELS[r.level] || r.level);
    row('发布日期 Published', r.published);
    row('表格模板 Template', r.template);
    row('索引号 Index no.', r.index_no);
    sourceRows(meta, r);
    if (r.body) {
      meta.appendChild(h('div', null, h('dt', { text: '机关 Body' }), h('dd', null,
        h('a.body-link', { href: '#/body/' + encodeURIComponent(String(r.body)), text: '本机关历年报告 this body across the years' }))));
    }
    row('ID', r.id);
    view.appendChild(meta);
    const versions = versionsBox(r);
    if (versions) view.appendChild(versions);

    // checks (each failed relation as an equation with the report's numbers) and warnings
    view.appendChild(renderChecks(r, checks, failed));
    // toc + original toggle
    const sections = Array.isArray(r.sections) ? r.sections : [];
    const figs = new Map();
    for (const f of Array.isArray(r.figures) ? r.figures : []) if (f && f.key) figs.set(String(f.key), f);
    const tools = h('div.report-tools');
    const toc = h('nav.toc', { 'aria-label': '目录 Contents' });
    sections.forEach((sec, i) => toc.appendChild(h('a', { href: '#sec-' + i, text: String(sec.label || SECTION_LABELS[sec.key] || sec.key) })));
    const allOrig = h('label.toggle', null, h('input', { type: 'checkbox', onchange: (e) => {
      view.querySelectorAll('.sec-orig-toggle').forEach((cb) => { if (cb.checked !== e.target.checked) cb.click(); });
    } }), ' 全部显示原文 show all original text');
    tools.appendChild(toc);
    tools.appendChild(allOrig);
    view.appendChild(tools);

    const tablesDone = new Set();
    const tpl = String(r.template ?? '');
    const tableFor = (t) => {
      tablesDone.add(t);
      return renderTable(t, tpl, figs, failed);
    };
    sections.forEach((sec, i) => {
      const key = String(sec.key ?? '');
      const box = h('section.sec', { id: 'sec-' + i, 'aria-labelledby': 'sech-' + i });
      box.appendChild(h('h2', { id: 'sech-' + i }, h('span', { text: String(sec.label || SECTION_LABELS[key] || key) }), ' ',
        h('span.sec-key', { text: key })));
      const heads = Array.isArray(sec.headings) ? sec.headings.filter(Boolean) : [];
      if (heads.length) box.appendChild(h('p.headings', { text: '原标题 headings: ' + heads.join(' ／ ') }));
      const t = Object.keys(TABLE_SECTION).find((tk) => TABLE_SECTION[tk] === key);
      // the table's own lines fold away when the table is drawn below (shown once)
      const folds = t && !tablesDone.has(t) && tableHasFigures(t, tpl, figs);
      const text = key === 'problems' && copiedSources(r).some((c) => c.src.marks.length)
        ? copiedText(String(sec.text ?? ''), r, terms)
        : sectionText(String(sec.text ?? ''), folds, terms);
      if (key === 'problems') { const c = copiedBox(r); if (c) box.appendChild(c); }
      const orig = highlight(h('div.sec-text.original', { hidden: true }), String(sec.original ?? ''), terms);
      const cbId = 'orig-' + i;
      box.appendChild(h('p.sec-tools', null, h('label.toggle', null,
        h('input.sec-orig-toggle', { type: 'checkbox', id: cbId, onchange: (e) => { orig.hidden = !e.target.checked; text.hidden = e.target.checked; } }),
        ' 显示原文 show original')));
      box.appendChild(text);
      box.appendChild(orig);
      if (t && !tablesDone.has(t)) box.appendChild(tableFor(t));
      view.appendChild(box);
    });
    for (const t of ['proactive', 'requests', 'appeals']) {
      if (!tablesDone.has(t)) view.appendChild(h('section.sec', null, tableFor(t)));
    }
    // figures not placed in any table
    const placed = new Set([...view.querySelectorAll('[data-key]')].map((el) => el.dataset.key));
    const rest = [...figs.values()].filter((f) => !placed.has(String(f.key)));
    if (rest.length) {
      const t = h('table.data.other-figs');
      t.appendChild(h('caption', { text: '其他数字 Other figures' }));
      const tb = h('tbody');
      for (const f of rest) tb.appendChild(h('tr', null, h('th', { scope: 'row', text: zhLabel(String(f.label || fieldLabel(f.key))) }),
        h('td.key', { text: String(f.key) }), h('td.num', { 'data-key': String(f.key), text: fmt(f.value) })));
      t.appendChild(tb);
      view.appendChild(h('section.sec', null, t));
    }
    if (terms.length) tools.after(hitSummary(view, terms));
  }

  // ----- checks as equations -----
  function renderChecks(r, checks, failed) {
    const qa = h('section.qa', { 'aria-label': '校验 Checks' });
    const eqs = Array.isArray(r.checks_detail) ? r.checks_detail : [];
    const ckList = h('ul.checks');
    for (const k of Object.keys(checks)) {
      const ok = checks[k] === true;
      const li = h('li.' + (ok ? 'ok' : 'bad'), { 'data-check': k }, ok ? '✓ ' : '✗ ', CHECK_LABELS[k] || k);
      const broken = eqs.filter((e) => e && e.check === k && e.holds === false);
      if (!ok && broken.length) li.appendChild(h('ul.equations', null, broken.map((e) => h('li.eq', null, equation(e)))));
      ckList.appendChild(li);
    }
    qa.appendChild(h('h2', { text: `校验 Checks${failed.length ? ` — ${failed.length} 项未通过` : ' — 全部通过'}` }));
    if (ckList.firstChild) qa.appendChild(ckList); else qa.appendChild(h('p.muted', { text: '无校验（报告中没有可核对的表格数字）' }));
    const en = Array.isArray(r.warnings) ? r.warnings.map(String) : [];
    const zh = Array.isArray(r.warnings_zh) && r.warnings_zh.length === en.length ? r.warnings_zh.map(String) : en;
    if (zh.length) {
      qa.appendChild(h('h3', { text: `解析提示（${zh.length} 条）` }));
      qa.appendChild(h('ul.warnings', null, zh.map((w) => h('li', { text: w }))));
    }
    return qa;
  }
  // `予以公开 85 + 部分公开 2 + … = 168 ≠ 总计 166（相差 2）`, in the report's numbers.
  function equation(e) {
    const side = (terms) => (Array.isArray(terms) ? terms : []).map((t, i) => [i ? ' + ' : '',
      h('span.term', { title: String(t.key ?? '') }, String(t.label ?? t.key ?? ''), ' ', h('b', { text: fmt(Number(t.value)) }))]);
    const l = Number(e.left_sum), rr = Number(e.right_sum);
    const right = Array.isArray(e.right) ? e.right : [];
    return [
      e.scope ? h('span.eq-scope', { text: String(e.scope) + '：' }) : null,
      side(e.left), ' = ', h('b.sum', { text: fmt(l) }), h('span.neq', { text: ' ≠ ' }),
      right.length > 1 ? [side(right), ' = '] : (right[0] ? String(right[0].label ?? '') + ' ' : ''),
      h('b.sum', { text: fmt(rr) }),
      h('span.muted', { text: `（相差 ${fmt(Math.abs(l - rr))}）` }),
    ];
  }
  // Dictionary labels carry a few English notes ("or as stated in prose"): the
  // page shows the Chinese part only.
  function zhLabel(label) {
    return String(label).replace(/\s*\(([^()]*)\)/g, (m, inner) => {
      const kept = inner.split(/[,，]/).map((x) => x.trim()).filter((x) => x && !/[A-Za-z]{2,}/.test(x));
      return kept.length ? `（${kept.join('，')}）` : '';
    });
  }

  // ----- the query's terms in the report -----
  // Words of the search box: quoted phrases whole; operators, exclusions and
  // section: scopes dropped.
  function queryTerms(q) {
    const out = [];
    const re = /(-?)"([^"]*)"|(\S+)/g;
    let m;
    while ((m = re.exec(String(q || '')))) {
      if (m[1]) continue;
      let t = m[2] !== undefined ? m[2] : m[3];
      if (m[3] !== undefined) {
        if (t === 'OR' || t === 'AND' || t.startsWith('-')) continue;
        t = t.replace(/^[a-z_]+:/, '');
      }
      t = t.trim();
      if (t && !out.includes(t)) out.push(t);
    }
    return out.sort((a, b) => b.length - a.length);
  }
  const reEscape = (t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // Appends `text` to `el` as text nodes, each term occurrence in a <mark>: no
  // markup is ever parsed, so report text stays text.
  function highlight(el, text, terms) {
    if (!terms.length) { el.appendChild(document.createTextNode(text)); return el; }
    const re = new RegExp(terms.map(reEscape).join('|'), 'gi');
    let last = 0;
    let m;
    while ((m = re.exec(text))) {
      if (!m[0]) { re.lastIndex++; continue; }
      if (m.index > last) el.appendChild(document.createTextNode(text.slice(last, m.index)));
      el.appendChild(h('mark.q', { text: m[0] }));
      last = m.index + m[0].length;
    }
    if (last < text.length) el.appendChild(document.createTextNode(text.slice(last)));
    return el;
  }
  function hitSummary(view, terms) {
    const marks = [...view.querySelectorAll('.sec-text:not(.original) mark.q, .report-title mark.q')];
    const p = h('p.hit-summary', null, '检索词 ', terms.map((t, i) => [i ? '、' : '', h('mark', { text: t })]),
      marks.length ? ` 在本报告中出现 ${marks.length} 处 ` : ' 未在正文中直接出现（可能匹配了繁简或分词形式）');
    if (marks.length) {
      let at = -1;
      p.appendChild(h('button.link', { type: 'button', onclick: () => {
        at = (at + 1) % marks.length;
        const m = marks[at];
        const fold = m.closest('details');
        if (fold) fold.open = true;
        m.scrollIntoView({ block: 'center' });
        marks.forEach((x) => x.classList.toggle('current', x === m));
      } }, '下一处 next ↓'));
    }
    return p;
  }

  // ----- one table, shown once -----
  // Labels of the three tables (dictionary parts and the templates' headers),
  // normalised, to recognise a section's raw table lines.
  const TABLE_HEADERS = ['信息内容', '申请人情况', '自然人', '法人或其他组织', '本列数据的勾稽关系为第一项加第二项之和等于第三项加第四项之和',
    '本年度办理结果', '行政复议', '行政诉讼', '未经复议直接起诉', '复议后起诉', '第二十条第项', '单位万元', '总计', '其他'];
  const normLabel = (x) => String(x).replace(/[\s()（）〔〕\[\]【】:：,，、.．;；"“”'‘’\-—_/]/g, '').replace(/^[一二三四五六七八九十\d]+/, '').replace(/[一二三四五六七八九十\d]+项$/, '项');
  let tableVocab = null;
  function vocab() {
    if (tableVocab && tableVocab.n === FIELDS.length) return tableVocab.set;
    const set = new Set(TABLE_HEADERS.map(normLabel));
    for (const f of FIELDS) if (f.table === 'proactive' || f.table === 'requests' || f.table === 'appeals') {
      for (const part of String(f.label_zh).split('·')) { const n = normLabel(part.replace(/\(.*$/, '')); if (n) set.add(n); const full = normLabel(part); if (full) set.add(full); }
    }
    tableVocab = { n: FIELDS.length, set };
    return set;
  }
  const NUMERIC_LINE = /^[\s\d.,，%％+\-—–/／]*\d[\s\d.,，%％]*$|^\s*[-—–/／]\s*$/;
  function tableLabelLine(line, set) {
    const n = normLabel(line.replace(/\(单位[^)]*\)?/, ''));
    if (!n || n.length > 60 || /[。；]/.test(line)) return false;
    if (set.has(n)) return true;
    for (const v of set) if (v.length >= 2 && ((v.startsWith(n) && n.length >= 2) || (n.startsWith(v) && (v.length >= 4 || n.length <= v.length + 14)))) return true;
    return false;
  }
  // Lines of a table block: a run of numbers and table labels with at least
  // six numbers, starting and ending on such lines; up to two other short
  // lines inside it (a header the dictionary does not know) belong to it.
  function tableBlocks(lines) {
    const set = vocab();
    const kind = lines.map((l) => (!l.trim() ? 'blank' : NUMERIC_LINE.test(l) ? 'num' : tableLabelLine(l, set) ? 'label'
      : l.trim().length <= 30 && !/[。；]/.test(l) ? 'short' : 'text'));
    const blocks = [];
    let i = 0;
    while (i < lines.length) {
      if (kind[i] !== 'num' && kind[i] !== 'label') { i++; continue; }
      let j = i, end = i, nums = 0, gap = 0;
      for (; j < lines.length; j++) {
        const k = kind[j];
        if (k === 'num' || k === 'label') { if (k === 'num') nums++; end = j; gap = 0; } else if (k === 'blank') continue;
        else if (k === 'short' && gap < 2) gap++;
        else break;
      }
      if (nums >= 6) { blocks.push([i, end]); i = end + 1; } else i = Math.max(i + 1, end + 1);
    }
    return blocks;
  }
  function sectionText(text, fold, terms) {
    const el = h('div.sec-text');
    if (!fold) return highlight(el, text, terms);
    const lines = text.split('\n');
    const blocks = tableBlocks(lines);
    let at = 0;
    for (const [a, b] of blocks) {
      if (a > at) highlight(el, lines.slice(at, a).join('\n') + '\n', terms);
      const raw = lines.slice(a, b + 1).filter((l) => l.trim());
      el.appendChild(h('details.raw-table', null, h('summary', { text: `表格原文 ${raw.length} 行（已按下方表格显示，点击展开）` }),
        highlight(h('div.raw-lines'), raw.join('\n'), terms)));
      at = b + 1;
    }
    if (at < lines.length) highlight(el, lines.slice(at).join('\n'), terms);
    return el;
  }
  function tableHasFigures(table, tpl, figs) {
    return tableFields(table, tpl, figs).some((f) => figs.has(f.key));
  }

  // Fields of one table for a template: in the dictionary for this template,
  // or present in the report anyway.
  function tableFields(table, tpl, figs) {
    const fs = FIELDS.filter((f) => f.table === table && (f.templates.includes(tpl) || figs.has(f.key)));
    if (!FIELDS.length) {
      // dictionary unavailable: use the report's own figures and labels
      for (const f of figs.values()) if (f.table === table) fs.push({ key: String(f.key), label_zh: String(f.label || f.key), table });
    }
    return fs;
  }
  function valueCell(key, figs, failed, tag) {
    const td = h(tag || 'td');
    td.dataset.key = key;
    td.classList.add('num');
    const f = figs.get(key);
    const v = f ? f.value : null;
    if (v === null || v === undefined) absentCell(td);
    else { td.textContent = fmt(typeof v === 'number' ? v : Number(v)); td.title = `${fieldLabel(key)} (${key})`; }
    const bad = failed.filter((c) => CHECK_CELLS[c] && CHECK_CELLS[c](key));
    if (bad.length) {
      td.classList.add('check-failed');
      td.title = (td.title ? td.title + '\n' : '') + '校验未通过: ' + bad.map((c) => CHECK_LABELS[c] || c).join('; ');
    }
    return td;
  }
  function tableCaption(table, failed) {
    const bad = failed.filter((c) => CHECK_TABLE(c) === table);
    return h('caption', null, TABLE_LABELS[table] || table,
      bad.length ? h('span.failed', { text: ' ✗ 校验未通过：' + bad.map((c) => CHECK_SHORT[c] || c).join('、') }) : null);
  }
  const splitLabel = (label) => {
    const parts = String(label).split('·');
    return { row: parts.slice(0, -1), col: parts[parts.length - 1] };
  };
  const rowKey = (key) => key.split('.').slice(0, -1).join('.');
  const colKey = (key) => key.split('.').pop();

  function renderTable(table, tpl, figs, failed) {
    const fs = tableFields(table, tpl, figs);
    const wrap = h('div.table-wrap', { role: 'region', 'aria-label': TABLE_LABELS[table] || table, tabindex: '0' });
    if (!fs.length) {
      wrap.appendChild(h('p.muted', { text: `${TABLE_LABELS[table] || table}：无表格数据 (no figures for template ${tpl || '?'})` }));
      return wrap;
    }
    if (table === 'appeals') wrap.appendChild(appealsTable(fs, figs, failed));
    else if (table === 'requests') wrap.appendChild(requestsTable(fs, figs, failed));
    else proactiveTables(fs, figs, failed).forEach((t) => wrap.appendChild(t));
    return wrap;
  }

  // Table 1: consecutive rows with the same column set form one sub-table.
  function proactiveTables(fs, figs, failed) {
    const rows = [];
    for (const f of fs) {
      const rk = rowKey(f.key);
      let row = rows.find((r) => r.key === rk);
      if (!row) { row = { key: rk, label: splitLabel(f.label_zh).row.join('·') || rk, cols: [] }; rows.push(row); }
      row.cols.push({ key: f.key, ck: colKey(f.key), label: splitLabel(f.label_zh).col });
    }
    const blocks = [];
    for (const r of rows) {
      const sig = r.cols.map((c) => c.ck).sort().join(',');
      const last = blocks[blocks.length - 1];
      if (last && last.sig === sig) last.rows.push(r); else blocks.push({ sig, rows: [r], cols: r.cols });
    }
    return blocks.map((b, i) => {
      const t = h('table.report-table');
      if (i === 0) t.appendChild(tableCaption('proactive', failed));
      const hr = h('tr', null, h('th', { scope: 'col', text: '信息内容' }));
      for (const c of b.cols) hr.appendChild(h('th', { scope: 'col', text: c.label }));
      t.appendChild(h('thead', null, hr));
      const tb = h('tbody');
      for (const r of b.rows) {
        const tr = h('tr', null, h('th', { scope: 'row', text: r.label }));
        for (const c of b.cols) tr.appendChild(valueCell(`${r.key}.${c.ck}`, figs, failed));
        tb.appendChild(tr);
      }
      t.appendChild(tb);
      return t;
    });
  }

  // Table 2: rows requests.<row>.<col> × applicant columns.
  function requestsTable(fs, figs, failed) {
    const rows = [];
    const cols = [];
    for (const f of fs) {
      const rk = rowKey(f.key), ck = colKey(f.key);
      const sl = splitLabel(f.label_zh);
      if (!cols.some((c) => c.ck === ck)) cols.push({ ck, label: sl.col });
      let row = rows.find((r) => r.key === rk);
      if (!row) { row = { key: rk, parts: sl.row.length ? sl.row : [rk] }; rows.push(row); }
    }
    const t = h('table.report-table.requests');
    t.appendChild(tableCaption('requests', failed));
    const orgCols = ['commercial', 'research', 'nonprofit', 'legal_service', 'other_org'];
    const standard = cols.length === 7 && cols[0].ck === 'natural_person' && cols[6].ck === 'total'
      && orgCols.every((c, i) => cols[i + 1].ck === c);
    const thead = h('thead');
    if (standard) {
      thead.appendChild(h('tr', null,
        h('th', { colspan: 2, rowspan: 3, scope: 'col', text: '本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和' }),
        h('th', { colspan: 7, scope: 'colgroup', text: '申请人情况' })));
      thead.appendChild(h('tr', null,
        h('th', { rowspan: 2, scope: 'col', text: cols[0].label }),
        h('th', { colspan: 5, scope: 'colgroup', text: '法人或其他组织' }),
        h('th', { rowspan: 2, scope: 'col', text: cols[6].label })));
      thead.appendChild(h('tr', null, cols.slice(1, 6).map((c) => h('th', { scope: 'col', text: c.label }))));
      thead.firstChild.firstChild.className = 'corner';
    } else {
      thead.appendChild(h('tr', null, h('th', { colspan: 2, scope: 'col', text: '' }), cols.map((c) => h('th', { scope: 'col', text: c.label }))));
    }
    t.appendChild(thead);
    const tb = h('tbody');
    let outcomeHeaderDone = false;
    const outcomeRows = rows.filter((r) => !/^requests\.(new|carried_in|carried_over)$/.test(r.key));
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      const isOutcome = outcomeRows.includes(r);
      if (isOutcome && !outcomeHeaderDone) {
        outcomeHeaderDone = true;
        tb.appendChild(h('tr.group', null, h('th', { colspan: 2 + cols.length, scope: 'rowgroup', text: '三、本年度办理结果' })));
      }
      const tr = h('tr' + (/handled$/.test(r.key) ? '.sum' : ''));
      if (r.parts.length >= 2) {
        const grp = r.parts.slice(0, -1).join('·');
        const prev = rows[i - 1];
        const prevGrp = prev && prev.parts.length >= 2 ? prev.parts.slice(0, -1).join('·') : null;
        if (grp !== prevGrp) {
          let span = 1;
          while (rows[i + span] && rows[i + span].parts.length >= 2 && rows[i + span].parts.slice(0, -1).join('·') === grp) span++;
          tr.appendChild(h('th.grp', { scope: 'rowgroup', rowspan: span, text: grp }));
        }
        tr.appendChild(h('th', { scope: 'row', text: r.parts[r.parts.length - 1], title: r.key }));
      } else {
        tr.appendChild(h('th', { scope: 'row', colspan: 2, text: r.parts[0], title: r.key }));
      }
      for (const c of cols) tr.appendChild(valueCell(`${r.key}.${c.ck}`, figs, failed));
      tb.appendChild(tr);
    }
    t.appendChild(tb);
    return t;
  }

  // Table 3: 行政复议 (5) | 行政诉讼: 未经复议直接起诉 (5), 复议后起诉 (5).
  function appealsTable(fs, figs, failed) {
    const groups = [['review', '行政复议'], ['litigation.direct', '未经复议直接起诉'], ['litigation.after_review', '复议后起诉']];
    const colsOf = (g) => fs.filter((f) => rowKey(f.key) === g).map((f) => ({ key: f.key, label: splitLabel(f.label_zh).col }));
    const [rv, ld, la] = groups.map(([g]) => colsOf(g));
    const t = h('table.report-table.appeals');
    t.appendChild(tableCaption('appeals', failed));
    const thead = h('thead');
    const litN = ld.length + la.length;
    thead.appendChild(h('tr', null,
      rv.length ? h('th', { colspan: rv.length, scope: 'colgroup', text: '行政复议' }) : null,
      litN ? h('th', { colspan: litN, scope: 'colgroup', text: '行政诉讼' }) : null));
    const r2 = h('tr');
    for (const c of rv) r2.appendChild(h('th', { rowspan: 2, scope: 'col', text: c.label }));
    if (ld.length) r2.appendChild(h('th', { colspan: ld.length, scope: 'colgroup', text: '未经复议直接起诉' }));
    if (la.length) r2.appendChild(h('th', { colspan: la.length, scope: 'colgroup', text: '复议后起诉' }));
    thead.appendChild(r2);
    thead.appendChild(h('tr', null, ld.concat(la).map((c) => h('th', { scope: 'col', text: c.label }))));
    t.appendChild(thead);
    const tr = h('tr');
    for (const c of rv.concat(ld, la)) tr.appendChild(valueCell(c.key, figs, failed));
    t.appendChild(h('tbody', null, tr));
    return t;
  }

  // ---------- event wiring ----------
  function wire() {
    $('search-form').addEventListener('submit', (e) => {
      e.preventDefault();
      setFilters({ q: $('q').value.trim(), section: $('section').value });
    });
    $('section').addEventListener('change', () => setFilters({ q: $('q').value.trim(), section: $('section').value }));
    $('year-range').addEventListener('submit', (e) => {
      e.preventDefault();
      const a = $('year-from').value.trim(), b = $('year-to').value.trim();
      if ((a && !/^\d{4}$/.test(a)) || (b && !/^\d{4}$/.test(b))) { showError('年份须为四位数字 year must be 4 digits'); return; }
      setFilters({ year: a && b ? (a === b ? a : `${a}..${b}`) : a ? `${a}..` : b ? `..${b}` : '' });
    });
    $('where-form').addEventListener('submit', (e) => {
      e.preventDefault();
      const err = $('where-error');
      const key = resolveField($('where-field').value);
      const val = $('where-value').value.trim();
      let msg = '';
      if (!key) msg = '请从列表中选择一个指标 (pick a figure from the list)';
      else if (!/^-?\d+(\.\d+)?$/.test(val)) msg = '请输入数值 (value must be a number)';
      err.textContent = msg ? '⚠ ' + msg : '';
      err.hidden = !msg;
      if (msg) return;
      const w = `${key}${$('where-op').value}${val}`;
      if (!state.where.includes(w)) setFilters({ where: state.where.concat([w]) });
      $('where-value').value = '';
    });
    $('add-col').addEventListener('click', () => {
      const key = resolveField($('where-field').value);
      const err = $('where-error');
      err.textContent = key ? '' : '⚠ 请从列表中选择一个指标 (pick a figure from the list)';
      err.hidden = !!key;
      if (key && !shownFigures(state).includes(key)) setFilters({ cols: state.cols.concat([key]) });
    });
    $('where-field').addEventListener('change', () => {
      const k = resolveField($('where-field').value);
      if (k) $('where-field').value = pickerValue(k);
    });
    $('failed-toggle').addEventListener('change', (e) => {
      const rest = state.where.filter((w) => w !== 'checks.failed');
      setFilters({ where: e.target.checked ? rest.concat(['checks.failed']) : rest });
    });
    $('sort-field').addEventListener('change', (e) => {
      const k = e.target.value;
      // year and figures default to descending (largest / newest first)
      setFilters({ sort: k === 'relevance' ? 'relevance' : '-' + k });
    });
    $('sort-dir').addEventListener('click', () => {
      if (state.sort === 'relevance') return;
      setFilters({ sort: state.sort.startsWith('-') ? state.sort.slice(1) : '-' + state.sort });
    });
    $('size').addEventListener('change', (e) => setFilters({ size: parseInt(e.target.value, 10) || 20 }));
    $('chart-form').addEventListener('submit', (e) => {
      e.preventDefault();
      const k = resolveField($('chart-field').value);
      if (!k) { clear($('chart')).appendChild(h('p.error', { text: '⚠ 请从列表中选择一个指标 (pick a figure from the list)' })); return; }
      navigate(Object.assign({}, state, { chart: k, agg: $('chart-agg').value, group: $('chart-group').value }), { replace: false });
    });
    $('chart-panel').addEventListener('toggle', () => {
      if ($('chart-panel').open && !state.chart) $('chart-form').requestSubmit();
      else if (!$('chart-panel').open && state.chart) navigate(Object.assign({}, state, { chart: '' }), { replace: true });
    });
    $('issuer-form').addEventListener('submit', (e) => {
      e.preventDefault();
      setFilters({ issuer: $('issuer-text').value.trim(), issuer_exact: '' });
    });
    $('home-link').addEventListener('click', (e) => { e.preventDefault(); navigate(defaultState()); });
    window.addEventListener('popstate', () => { state = readState(); render(); });
    document.addEventListener('keydown', (e) => {
      if (e.key === '/' && !/^(INPUT|SELECT|TEXTAREA)$/.test(document.activeElement.tagName)) { e.preventDefault(); $('q').focus(); }
    });
  }

  // Mark history entries pushed from the search view so "back to results"
  // can use history.back() (keeps scroll position and avoids a new entry).
  const origPush = history.pushState.bind(history);
  history.pushState = function (data, title, url) {
    const fromSearch = !!(state.report && !new URLSearchParams(location.search).get('report'));
    return origPush(Object.assign({}, data || {}, { fromSearch }), title, url);
  };

  async function init() {
    try { if (sessionStorage.getItem('gongkai.demo') === '1') setDemo(true); } catch (e) { /* ignore */ }
    wire();
    // small screens: facets start collapsed so results come first
    if (window.matchMedia && window.matchMedia('(max-width: 860px)').matches) $('facets-box').open = false;
    state = readState();
    // #/report/ID -> ?report=ID (one canonical URL)
    if (/^#\/report\//.test(location.hash)) history.replaceState(null, '', pageUrl(state));
    await loadFields();
    render();
    if (state.report) probeDemo();
  }
  init();
})();
