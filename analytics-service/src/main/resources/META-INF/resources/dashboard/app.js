'use strict';
// VoiceCoach analytics dashboard: plain JS against the REST API (/api/v1), SVG charts, no dependencies.

const state = { key: sessionStorage.getItem('voicecoach.key') || '', cursors: [null], page: 0, live: null };
const $ = (selector, root = document) => root.querySelector(selector);
const SVG_NS = 'http://www.w3.org/2000/svg';
const STAGE_COLOURS = ['#2f6fdf', '#1f9d74', '#e0a100', '#c0265a', '#7a4fd6', '#e07b24', '#00829b'];

function svg(tag, attrs, parent) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, v);
  if (parent) parent.appendChild(el);
  return el;
}
function label(parent, x, y, content, anchor, cls) {
  const t = svg('text', { x, y, class: cls || 'label', 'text-anchor': anchor || 'start' }, parent);
  t.textContent = content;
  return t;
}
function tip(el, content) { svg('title', {}, el).textContent = content; return el; }
function chart(container, width, height) {
  container.replaceChildren();
  return svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img' }, container);
}
function cell(row, content) { const td = row.insertCell(); td.textContent = content ?? ''; return td; }
function seconds(ms) { return ms == null ? '' : (ms / 1000).toFixed(1) + ' s'; }
function pct(x) { return x == null ? '–' : Math.round(x * 100) + '%'; }
function status(message) { $('#status').textContent = message; }

async function api(path) {
  const response = await fetch(path, { headers: { Authorization: 'Bearer ' + state.key } });
  if (!response.ok) {
    let detail = response.statusText;
    try { detail = (await response.json()).detail || detail; } catch (e) { /* not a problem document */ }
    throw new Error(response.status + ' ' + detail);
  }
  return response.json();
}

function filters() {
  const params = new URLSearchParams();
  for (const input of $('#search').elements) {
    if (input.name && input.value.trim()) params.set(input.name, input.value.trim());
  }
  return params;
}

// ---- navigation -------------------------------------------------------------------------------------------
$('#key-form').addEventListener('submit', event => {
  event.preventDefault();
  state.key = $('#api-key').value.trim();
  sessionStorage.setItem('voicecoach.key', state.key);
  connect();
});
$('#search').addEventListener('submit', event => { event.preventDefault(); state.cursors = [null]; state.page = 0; loadCalls(); loadTrend(); });
$('#next').addEventListener('click', () => { state.page++; loadCalls(); });
$('#prev').addEventListener('click', () => { state.page = Math.max(0, state.page - 1); loadCalls(); });
window.addEventListener('hashchange', route);

async function connect() {
  status('checking key…');
  try {
    await api('/api/v1/sessions?limit=1');
    status('connected');
    startLive();
    if (typeof replayConnected === 'function') replayConnected();
    route(true);
  } catch (e) {
    status(e.message.startsWith('401') ? 'key refused' : e.message);
  }
}

function route(fresh) {
  if (!state.key) return;
  const match = location.hash.match(/^#\/calls\/(.+)$/);
  $('#calls-view').hidden = !!match;
  $('#call-view').hidden = !match;
  if (match) {
    showCall(decodeURIComponent(match[1]));
  } else if (fresh === true || !$('#calls tbody').rows.length) {
    loadCalls(); loadTrend(); loadLatency();
  }
}

// ---- calls list --------------------------------------------------------------------------------------------
async function loadCalls() {
  const params = filters();
  params.set('limit', '20');
  const cursor = state.cursors[state.page];
  if (cursor) params.set('cursor', cursor);
  const body = $('#calls tbody');
  try {
    const page = await api('/api/v1/sessions?' + params);
    state.cursors[state.page + 1] = page.nextCursor;
    body.replaceChildren();
    for (const s of page.sessions) {
      const row = body.insertRow();
      row.dataset.sessionId = s.sessionId;
      cell(row, s.startedAt ? new Date(s.startedAt).toLocaleString() : '(not started)');
      cell(row, s.repId); cell(row, s.team); cell(row, s.outcome); cell(row, seconds(s.durationMs));
      cell(row, s.utteranceCount); cell(row, s.suggestionCount); cell(row, s.objectionCount);
      row.addEventListener('click', () => { location.hash = '#/calls/' + encodeURIComponent(s.sessionId); });
    }
    if (!page.sessions.length) cell(body.insertRow(), 'no calls match').className = 'empty';
    $('#prev').disabled = state.page === 0;
    $('#next').disabled = !page.nextCursor;
  } catch (e) { status(e.message); }
}

// ---- trend per day -----------------------------------------------------------------------------------------
async function loadTrend() {
  const params = filters();
  params.delete('objection');
  const data = await api('/api/v1/aggregates/days?' + params).catch(e => { status(e.message); return null; });
  if (!data) return;
  const W = 600, H = 220, left = 34, bottom = 30, top = 12;
  const root = chart($('#trend-chart'), W, H);
  const groups = data.groups;
  if (!groups.length) { label(root, W / 2, H / 2, 'no calls in the last 30 days', 'middle'); return; }
  const max = Math.max(...groups.map(g => g.sessions));
  const step = (W - left - 10) / groups.length;
  const y = v => H - bottom - (H - bottom - top) * v;
  svg('line', { x1: left, x2: W - 6, y1: H - bottom, y2: H - bottom, class: 'axis' }, root);
  label(root, left - 4, y(1) + 4, String(max), 'end');
  label(root, left - 4, H - bottom, '0', 'end');
  const points = [];
  groups.forEach((g, i) => {
    const x = left + i * step;
    const h = (H - bottom - top) * g.sessions / max;
    tip(svg('rect', { x: x + step * 0.15, y: H - bottom - h, width: step * 0.7, height: h, class: 'bar',
      'data-key': g.key, 'data-value': g.sessions }, root), `${g.key}: ${g.sessions} calls, rep talk ${pct(g.repTalkShare)}`);
    if (g.repTalkShare != null) points.push(`${x + step / 2},${y(g.repTalkShare)}`);
    if (groups.length <= 12 || i % Math.ceil(groups.length / 12) === 0) label(root, x + step / 2, H - 10, g.key.slice(5), 'middle');
  });
  if (points.length) svg('polyline', { points: points.join(' '), class: 'line' }, root);
  speechSummary($('#speech-summary'), groups);
}

// ---- the voice agent's speech ------------------------------------------------------------------------------
function speechFacts(speech) {
  if (!speech || !speech.items && !speech.failures) return [['agent talk time', '–']];
  return [['agent talk time', seconds(speech.talkMs)], ['TTS characters', speech.characters],
    ['TTS cost', '$' + speech.costUsd.toFixed(4)], ['TTS failures', speech.failures]];
}

function speechSummary(dl, groups) {
  const sum = field => groups.reduce((total, g) => total + (g[field] || 0), 0);
  const facts = [['agent talk time', (sum('agentSpeechMs') / 60000).toFixed(1) + ' min'],
    ['TTS characters', sum('ttsChars')], ['TTS cost', '$' + sum('ttsCostUsd').toFixed(4)]];
  dl.replaceChildren();
  for (const [k, v] of facts) {
    dl.appendChild(document.createElement('dt')).textContent = k;
    dl.appendChild(document.createElement('dd')).textContent = v;
  }
}

// ---- latency panel -----------------------------------------------------------------------------------------
const HOPS = [['transcriptToSuggestionMs', 'transcript → suggestion'], ['suggestionToClientMs', 'suggestion → client'],
  ['endToEndMs', 'end to end']];

function latencyChart(container, latency) {
  const W = 600, H = 150, left = 150, rowH = 44;
  const root = chart(container, W, H);
  const max = Math.max(1, ...HOPS.map(([k]) => latency[k].p95 || 0));
  HOPS.forEach(([k, name], i) => {
    const hop = latency[k];
    const y = 8 + i * rowH;
    label(root, left - 8, y + 16, name, 'end');
    if (!hop.count) { label(root, left, y + 16, 'no samples'); return; }
    const scale = v => (W - left - 200) * v / max;
    tip(svg('rect', { x: left, y, width: Math.max(1, scale(hop.p95)), height: 12, class: 'bar p95', 'data-hop': k,
      'data-value': hop.p95 }, root), `p95 ${hop.p95} ms`);
    tip(svg('rect', { x: left, y: y + 14, width: Math.max(1, scale(hop.p50)), height: 12, class: 'bar', 'data-hop': k,
      'data-value': hop.p50 }, root), `p50 ${hop.p50} ms`);
    label(root, left + scale(hop.p95) + 6, y + 16, `p50 ${hop.p50} · p95 ${hop.p95} ms (n=${hop.count})`);
  });
}

async function loadLatency() {
  const data = await api('/api/v1/latency').catch(e => { status(e.message); return null; });
  if (data) latencyChart($('#latency-chart'), data);
}

// ---- one call ----------------------------------------------------------------------------------------------
async function showCall(sessionId) {
  let call;
  try { call = await api('/api/v1/sessions/' + encodeURIComponent(sessionId)); } catch (e) { status(e.message); return; }
  const m = call.metrics;
  $('#call-title').textContent = `Call ${call.callId || call.sessionId}`;
  const rep = m.speakers.agent, customer = m.speakers.customer;
  const facts = [
    ['rep', call.repId], ['team', call.team], ['outcome', call.outcome], ['duration', seconds(m.durationMs)],
    ['talk : listen', rep.talkListenRatio == null ? '–' : `${pct(rep.shareOfTalk)} : ${pct(customer.shareOfTalk)}`],
    ['rep questions', m.repQuestions], ['interruptions', m.interruptions],
    ['longest monologue', m.longestMonologue ? `${seconds(m.longestMonologue.durationMs)} (${m.longestMonologue.track})` : '–'],
    ['objections addressed', `${m.objections.addressed} of ${m.objections.raised}`],
    ['prompts shown', `${m.prompts.shown} of ${m.prompts.generated}`], ['rep words/min', rep.wordsPerMinute ?? '–'],
    ['filler words (rep)', rep.fillerWords], ['LLM tokens', m.llm.totalTokens], ['LLM cost', '$' + m.llm.costUsd.toFixed(4)],
    ['audio minutes', m.audioMinutes], ['transcription failures', m.transcriptionFailures.count],
    ...speechFacts(call.agentSpeech),
    ['summary', call.summary ? call.summary.text : '–']];
  const dl = $('#call-facts');
  dl.replaceChildren();
  for (const [k, v] of facts) {
    dl.appendChild(document.createElement('dt')).textContent = k;
    dl.appendChild(document.createElement('dd')).textContent = v ?? '–';
  }
  timeline($('#timeline'), call);
  talkChart($('#talk-chart'), m);
  latencyChart($('#call-latency'), call.latency);
  promptList($('#prompts'), call.suggestions);
  complianceList($('#compliance'), call.compliance);
  if (typeof replayCall === 'function') replayCall(call);
  const list = $('#transcript');
  list.replaceChildren();
  for (const u of call.utterances) {
    const li = list.appendChild(document.createElement('li'));
    li.className = u.track;
    li.appendChild(document.createElement('b')).textContent = `${u.track} ${seconds(u.startMs)}: `;
    li.appendChild(document.createTextNode(u.text));
  }
}

const COMPLIANCE_MARKS = { pending: '○', said: '✓', missed: '✗', kept: '✓', broken: '⚠' };

function complianceList(list, checklist) {
  list.replaceChildren();
  $('#compliance-state').textContent = !checklist ? 'none' : checklist.closed ? 'end of call' : 'call in progress';
  for (const item of (checklist && checklist.items) || []) {
    const li = list.appendChild(document.createElement('li'));
    li.dataset.rule = item.ruleId;
    li.dataset.status = item.status;
    li.appendChild(document.createElement('b')).textContent = `${COMPLIANCE_MARKS[item.status] || '?'} `
      + `${item.kind === 'must_not_say' ? 'never say' : 'say'}: ${item.ruleId.replace(/_/g, ' ')} (${item.status})`;
    li.appendChild(document.createElement('div')).textContent = item.message || '';
  }
  if (!list.children.length) list.appendChild(document.createElement('li')).textContent = 'no compliance rules';
}

function promptList(list, suggestions) {
  list.replaceChildren();
  for (const p of suggestions.filter(p => p.kind)) {
    const li = list.appendChild(document.createElement('li'));
    li.dataset.suggestion = p.suggestionId;
    li.appendChild(document.createElement('b')).textContent = `${p.kind}: ${p.title || p.category || ''}`;
    li.appendChild(document.createElement('div')).textContent = p.message || '';
    const cited = li.appendChild(document.createElement('ul'));
    cited.className = 'citations';
    for (const c of p.citations || []) {
      const item = cited.appendChild(document.createElement('li'));
      item.className = 'citation';
      item.dataset.documentId = c.documentId;
      item.appendChild(document.createElement('cite')).textContent =
        `${c.documentTitle || c.documentId} · part ${c.chunkIndex + 1} · score ${Number(c.score).toFixed(2)}`;
      item.appendChild(document.createElement('q')).textContent = c.excerpt || '';
    }
  }
  if (!list.children.length) list.appendChild(document.createElement('li')).textContent = 'no prompts';
}

function timeline(container, call) {
  const W = 1000, left = 80, laneH = 34, top = 22;
  const lanes = ['agent', 'customer'];
  const H = top + lanes.length * (laneH + 10) + 24;
  const m = call.metrics;
  const end = Math.max(1, m.durationMs, ...call.utterances.map(u => u.endMs));
  const x = ms => left + (W - left - 10) * ms / end;
  const root = chart(container, W, H);
  const stages = svg('g', { class: 'stages' }, root);
  m.stages.forEach((s, i) => {
    tip(svg('rect', { x: x(s.startMs), y: 0, width: Math.max(1, x(s.endMs) - x(s.startMs)), height: H - 20,
      class: 'stage-band', fill: STAGE_COLOURS[i % STAGE_COLOURS.length], 'data-stage': s.stage }, stages),
      `${s.stage}: ${seconds(s.startMs)} – ${seconds(s.endMs)}`);
    label(stages, x(s.startMs) + 4, 14, s.stage, 'start', 'stage-label');
  });
  const starts = {};
  lanes.forEach((track, i) => {
    const y = top + i * (laneH + 10);
    const lane = svg('g', { class: 'lane-' + track, 'data-track': track }, root);
    label(lane, left - 8, y + laneH / 2 + 4, track === 'agent' ? 'rep' : track, 'end');
    svg('line', { x1: left, x2: W - 10, y1: y + laneH / 2, y2: y + laneH / 2, class: 'axis' }, lane);
    for (const u of call.utterances.filter(u => u.track === track)) {
      starts[u.utteranceId] = u.startMs;
      tip(svg('rect', { x: x(u.startMs), y, width: Math.max(2, x(u.endMs) - x(u.startMs)), height: laneH, rx: 3,
        class: 'utterance', 'data-utterance': u.utteranceId }, lane), `${seconds(u.startMs)}: ${u.text}`);
    }
  });
  const prompts = svg('g', { class: 'prompts' }, root);
  const startedAt = call.startedAt ? Date.parse(call.startedAt) : null;
  for (const p of call.suggestions) {
    let at = starts[p.utteranceId];
    if (at == null && startedAt && p.suggestedAt) at = Date.parse(p.suggestedAt) - startedAt;
    if (at == null) continue;
    const px = x(Math.min(end, Math.max(0, at)));
    svg('line', { x1: px, x2: px, y1: top - 4, y2: H - 22, class: 'prompt-line' }, prompts);
    tip(svg('path', { d: `M${px - 6},${H - 22} L${px + 6},${H - 22} L${px},${H - 32} Z`, class: 'prompt-marker',
      'data-suggestion': p.suggestionId }, prompts), `${p.kind || 'prompt'}: ${p.title || p.category || ''}`);
  }
  label(root, left, H - 4, '0 s');
  label(root, W - 10, H - 4, seconds(end), 'end');
}

function talkChart(container, m) {
  const W = 600, H = 110;
  const root = chart(container, W, H);
  const rep = m.speakers.agent.talkMs, customer = m.speakers.customer.talkMs;
  const total = rep + customer;
  if (!total) { label(root, W / 2, H / 2, 'nobody spoke', 'middle'); return; }
  const w = (W - 20) * rep / total;
  tip(svg('rect', { x: 10, y: 20, width: w, height: 36, class: 'talk-agent', 'data-ms': rep }, root),
    `rep ${seconds(rep)}`);
  tip(svg('rect', { x: 10 + w, y: 20, width: W - 20 - w, height: 36, class: 'talk-customer',
    'data-ms': customer }, root), `customer ${seconds(customer)}`);
  label(root, 10, 78, `rep ${pct(rep / total)} (${seconds(rep)})`);
  label(root, W - 10, 78, `customer ${pct(customer / total)} (${seconds(customer)})`, 'end');
  label(root, W / 2, 100, 'best-practice talk:listen in discovery calls is about 43:57', 'middle');
}

// ---- live calls (Server-Sent Events read with fetch, so the API key can travel in a header) ------------------
async function startLive() {
  if (state.live) state.live.abort();
  const controller = new AbortController();
  state.live = controller;
  const calls = new Map();
  $('#live-state').textContent = 'connecting…';
  try {
    const response = await fetch('/api/v1/live', { headers: { Authorization: 'Bearer ' + state.key },
      signal: controller.signal });
    if (!response.ok) throw new Error(String(response.status));
    $('#live-state').textContent = 'live';
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        liveEvent(buffer.slice(0, end), calls);
        buffer = buffer.slice(end + 2);
      }
    }
  } catch (e) {
    if (controller.signal.aborted) return;
  }
  $('#live-state').textContent = 'reconnecting…';
  setTimeout(() => { if (state.live === controller) startLive(); }, 3000);
}

function liveEvent(block, calls) {
  let name = 'message', data = '';
  for (const line of block.split('\n')) {
    if (line.startsWith('event:')) name = line.slice(6).trim();
    else if (line.startsWith('data:')) data += line.slice(5).trim();
  }
  if (!data || name === 'ready') return;
  const call = JSON.parse(data);
  if (name === 'session.ended') calls.delete(call.sessionId); else calls.set(call.sessionId, call);
  const list = $('#live-calls');
  list.replaceChildren();
  for (const c of calls.values()) {
    const li = list.appendChild(document.createElement('li'));
    li.dataset.liveSession = c.sessionId;
    li.className = 'speaking-' + (c.speaking || 'none');
    li.appendChild(document.createElement('b')).textContent = (c.repId || 'unknown rep') + (c.stage ? ` · ${c.stage}` : '');
    li.appendChild(document.createElement('div')).textContent = c.speaking ? `${c.speaking === 'agent' ? 'rep' : c.speaking} talking` : 'waiting';
    if (c.latestUtterance) li.appendChild(document.createElement('div')).textContent = '“' + c.latestUtterance.text + '”';
    if (c.latestPrompt) li.appendChild(document.createElement('div')).textContent = 'prompt: ' + (c.latestPrompt.title || c.latestPrompt.kind);
    if (c.checklist && c.checklist.items.length) {
      const compliance = li.appendChild(document.createElement('div'));
      compliance.className = 'live-compliance';
      compliance.textContent = 'compliance: ' + c.checklist.items
        .map(item => `${COMPLIANCE_MARKS[item.status] || '?'} ${item.ruleId.replace(/_/g, ' ')}`).join(' · ');
    }
  }
  if (!calls.size) list.appendChild(document.createElement('li')).textContent = 'no calls in progress';
}

if (state.key) { $('#api-key').value = state.key; connect(); }
