// Drives the app in an iframe (same origin) and writes PASS/FAIL lines into #log.
// Run: chromium --headless --dump-dom --virtual-time-budget=20000 http://127.0.0.1:PORT/mock/test.html
'use strict';
const out = [];
const log = (ok, msg) => { out.push((ok ? 'PASS ' : 'FAIL ') + msg); document.getElementById('log').textContent = out.join('\n'); };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const f = document.getElementById('f');
let alerted = false;
async function until(fn, ms = 3000) {
  const t0 = Date.now();
  while (Date.now() - t0 < ms) { try { if (fn()) return true; } catch (e) { /* retry */ } await sleep(50); }
  return false;
}
f.addEventListener('load', async function once() {
  f.removeEventListener('load', once);
  const w = f.contentWindow, d = f.contentDocument;
  w.alert = () => { alerted = true; };
  const $ = (s) => d.querySelector(s);
  const $$ = (s) => [...d.querySelectorAll(s)];
  try {
    log(await until(() => $$('.hit').length > 0), 'results rendered: ' + $$('.hit').length);
    log(!$('#demo-banner').hidden, 'demo banner shown on search view');
    log($$('.hit img, .hit script, #report-view img').length === 0, 'no <img>/<script> injected in results');
    log($$('.hit-title a').some((a) => a.textContent.includes('<script>alert(1)</script>')), 'hostile title shown as text');
    log($$('.snip-text.unsafe').length >= 0, 'unsafe snippets rendered as text: ' + $$('.snip-text.unsafe').length);
    log($$('.snip mark').length > 0, 'snippet <mark> highlighting kept');
    // facet click -> URL carries region
    $('#facet-region .facet-btn').click();
    await until(() => w.location.search.includes('region='));
    log(w.location.search.includes('region='), 'region facet -> URL ' + decodeURIComponent(w.location.search));
    await until(() => $$('.chip').length > 0);
    log($$('.chip').length >= 1, 'chip for active region');
    // where builder
    $('#builder').open = true;
    $('#where-field').value = '一、本年新收政府信息公开申请数量·总计 ｜ requests.new.total';
    $('#where-op').value = '>=';
    $('#where-value').value = '5';
    $('#where-form').requestSubmit();
    await until(() => w.location.search.includes('where='));
    log(decodeURIComponent(w.location.search).includes('where=requests.new.total>=5'), 'where builder -> ' + decodeURIComponent(w.location.search));
    log($('#export-csv').getAttribute('href').includes('figures=requests.new.total'), 'export link: ' + decodeURIComponent($('#export-csv').getAttribute('href')));
    // sort
    $('#sort-field').value = 'requests.new.total';
    $('#sort-field').dispatchEvent(new Event('change'));
    await until(() => w.location.search.includes('sort='));
    await sleep(300);
    const vals = $$('.hit .fig:first-child dd').map((dd) => dd.textContent);
    log(w.location.search.includes('sort=-requests.new.total'), 'sort desc by figure; first column values ' + vals.join(','));
    // open report
    const searchUrl = w.location.href;
    const firstId = new URL($('.hit-title a').href).searchParams.get('report');
    $('.hit-title a').click();
    await until(() => !d.getElementById('report-view').hidden && $$('.report-table').length > 0);
    log(w.location.search.includes('report='), 'report view URL: ' + decodeURIComponent(w.location.search));
    log($$('.report-table').length >= 3, 'report tables: ' + $$('.report-table').length);
    log($$('#report-view img, #report-view script').length === 0, 'no <img>/<script> in report view');
    log(!$('#demo-banner').hidden, 'demo banner shown on report view');
    log($$('td.absent').every((td) => td.textContent === '—'), 'absent cells are — : ' + $$('td.absent').length);
    // toggle original
    const cb = $('.sec-orig-toggle'); cb.click();
    log(!cb.closest('.sec').querySelector('.original').hidden, 'original text toggle');
    // back
    w.history.back();
    await until(() => !d.getElementById('search-view').hidden);
    log(w.location.href === searchUrl && $$('.hit').length > 0, 'back -> search view restored ' + decodeURIComponent(w.location.search));
    w.history.forward();
    await until(() => !d.getElementById('report-view').hidden);
    log(new URLSearchParams(w.location.search).get('report') === firstId, 'forward -> report ' + firstId);
    w.history.back();
    await until(() => !d.getElementById('search-view').hidden);
    // error response shown inline
    w.history.pushState(null, '', '/?where=nosuch.key%3E1');
    w.dispatchEvent(new PopStateEvent('popstate'));
    await until(() => !$('#search-error').hidden);
    log(!$('#search-error').hidden && $('#search-error').textContent.includes('where'), 'API 400 shown inline: ' + $('#search-error').textContent);
    // chart
    w.history.pushState(null, '', '/?chart=requests.new.total&agg=mean&group=region');
    w.dispatchEvent(new PopStateEvent('popstate'));
    await until(() => $$('#chart svg rect').length > 0);
    log($$('#chart svg rect').length > 0, 'chart bars: ' + $$('#chart svg rect').length);
    log($('#search-error').hidden, 'error cleared after good search');
    // hash route
    f.contentWindow.location.href = '/#/report/' + encodeURIComponent(firstId);
    await sleep(100);
    await until(() => f.contentDocument.querySelectorAll('.report-table').length > 0);
    log(f.contentWindow.location.search.includes('report='), 'hash route #/report/ID -> ' + decodeURIComponent(f.contentWindow.location.search));
  } catch (e) {
    log(false, 'exception ' + e.stack);
  }
  log(!alerted, 'alert() never called');
  out.push('DONE');
  document.getElementById('log').textContent = out.join('\n');
});
