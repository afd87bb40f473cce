'use strict';
// The replay panels: a call (or a time range of the tenant's calls) re-run through another playbook version or LLM
// model in shadow mode by coaching-service (POST /api/v1/replays, same origin: the Ingress in the cluster, the
// analytics pass-through locally), shown beside what the rep was shown live. Uses app.js's state, $, cell, seconds.

const replay = { call: null, versions: null };
const PLAYBOOK_KINDS = ['objection', 'buying_signal'];

async function replayApi(path, body) {
  const response = await fetch(path, { method: body ? 'POST' : 'GET', body: body ? JSON.stringify(body) : undefined,
    headers: { Authorization: 'Bearer ' + state.key, 'Content-Type': 'application/json' } });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) {
    const fields = (answer.errors || []).map(e => `${e.path}: ${e.message}`).join('; ');
    throw new Error(`${response.status} ${answer.detail || answer.title || response.statusText}`
      + (fields ? ` (${fields})` : ''));
  }
  return answer;
}

function found(f) { return f ? `${f.kind}/${f.category} (${f.source}): ${f.title || ''}` : null; }

function suggestionCell(row, f, cls) {
  const td = cell(row, found(f) || 'no suggestion');
  td.className = f ? cls : cls + ' none';
  if (f) td.dataset.category = f.category;
  return td;
}

function changeCell(row, change, live) {
  const td = cell(row, change || (live ? 'unchanged' : ''));
  td.className = 'change';
  return td;
}

// ---- versions --------------------------------------------------------------------------------------------------
async function loadReplayVersions() {
  try {
    replay.versions = await replayApi('/api/v1/playbook/versions');
  } catch (e) {
    replay.versions = null;
    for (const id of ['#replay-state', '#range-state']) $(id).textContent = 'versions: ' + e.message;
    return;
  }
  for (const id of ['#replay-version', '#range-version']) {
    $(id).replaceChildren(...replay.versions.map(v => {
      const option = document.createElement('option');
      option.value = v.version;
      option.textContent = `v${v.version} ${v.name}${v.active ? ' (active)' : ''}`;
      return option;
    }));
  }
}

function request(version, model) {
  const body = { playbookVersion: Number($(version).value) };
  const llm = $(model).value.trim();
  if (llm) body.llm = { model: llm };
  return body;
}

function summary(report) {
  const c = report.counts;
  let text = `Playbook v${report.playbookVersion} "${report.playbookName}" (active: v${report.activeVersion}) over `
    + `${report.sessions} call(s): ${c.added} added, ${c.removed} removed, ${c.recategorised} re-categorised, `
    + `${c.unchanged} unchanged`;
  if (report.llm) {
    const l = report.llm, lc = l.counts;
    text += `. LLM ${l.model}: ${l.calls} request(s), ${l.failed} failed, ${lc.added} added, ${lc.removed} removed, `
      + `${lc.recategorised} re-categorised, ${lc.unchanged} unchanged; ${l.promptTokens + l.completionTokens} tokens, `
      + `$${l.costUsd.toFixed(4)}`;
  }
  if (!report.complete) text += ' (not complete: part of the recording could not be read or the limits were reached)';
  return text;
}

function latency(report) {
  const l = report.latency;
  let text = `live: transcript to suggestion p50 ${l.liveP50Ms ?? '–'} ms, p95 ${l.liveP95Ms ?? '–'} ms; `
    + `replayed detection p50 ${l.replayDetectP50Ms ?? '–'} ms, p95 ${l.replayDetectP95Ms ?? '–'} ms`;
  if (report.llm) text += `; LLM ${report.llm.model} p50 ${report.llm.latencyP50Ms ?? '–'} ms, p95 ${report.llm.latencyP95Ms ?? '–'} ms`;
  return text;
}

function llmHeads(table, report) {
  const head = $(table + ' thead tr');
  head.querySelectorAll('.llm').forEach(th => th.remove());
  if (!report.llm) return;
  for (const name of ['LLM advice live', `with ${report.llm.model}`, 'LLM change']) {
    const th = head.appendChild(document.createElement('th'));
    th.className = 'llm';
    th.textContent = name;
  }
}

async function runReplay(button, stateLabel, body, show) {
  button.disabled = true;
  $(stateLabel).textContent = 'replaying…';
  try {
    show(await replayApi('/api/v1/replays', body));
    $(stateLabel).textContent = 'done';
  } catch (e) {
    $(stateLabel).textContent = 'refused: ' + e.message;
  } finally {
    button.disabled = false;
  }
}

// ---- one call: every utterance, live beside replayed ------------------------------------------------------------
function showCallReplay(call, report) {
  if (replay.call !== call) return; // the manager opened another call meanwhile
  const byUtterance = list => new Map((list || []).map(c => [c.utteranceId, c]));
  const changes = byUtterance(report.changes);
  const llmChanges = byUtterance(report.llm && report.llm.changes);
  const liveOf = (u, llm) => {
    const s = call.suggestions.find(p => p.utteranceId === u && (llm ? p.source === 'llm'
      : PLAYBOOK_KINDS.includes(p.kind) && p.source !== 'llm'));
    return s ? { kind: s.kind, category: s.category, source: s.source, title: s.title } : null;
  };
  $('#replay-summary').textContent = summary(report);
  $('#replay-latency').textContent = latency(report);
  $('#replay-head').textContent = `with v${report.playbookVersion}`;
  llmHeads('#replay-table', report);
  const body = $('#replay-table tbody');
  body.replaceChildren();
  for (const u of [...call.utterances].sort((a, b) => a.startMs - b.startMs)) {
    const change = changes.get(u.utteranceId);
    const live = change ? change.live : liveOf(u.utteranceId, false);
    const row = body.insertRow();
    row.dataset.utterance = u.utteranceId;
    row.dataset.change = change ? change.change : 'unchanged';
    if (change) row.className = change.change;
    cell(row, seconds(u.startMs));
    cell(row, u.track === 'agent' ? 'rep' : u.track);
    cell(row, u.text);
    suggestionCell(row, live, 'live');
    suggestionCell(row, change ? change.replayed : live, 'replayed');
    changeCell(row, change && change.change, live);
    if (report.llm) {
      const advice = llmChanges.get(u.utteranceId);
      const liveAdvice = advice ? advice.live : liveOf(u.utteranceId, true);
      suggestionCell(row, liveAdvice, 'llm-live');
      suggestionCell(row, advice ? advice.replayed : liveAdvice, 'llm-replayed');
      changeCell(row, advice && advice.change, liveAdvice).classList.add('llm-change');
      if (advice) row.dataset.llmChange = advice.change;
    }
  }
  $('#replay-result').hidden = false;
}

function replayCall(call) {
  replay.call = call;
  $('#replay-result').hidden = true;
  $('#replay-state').textContent = '';
  if (!replay.versions) loadReplayVersions();
}

$('#replay-form').addEventListener('submit', event => {
  event.preventDefault();
  const call = replay.call;
  const body = { sessionId: call.sessionId, ...request('#replay-version', '#replay-model') };
  runReplay($('#replay-run'), '#replay-state', body, report => showCallReplay(call, report));
});

// ---- a time range: the changed utterances of every call in it ---------------------------------------------------
function showRangeReplay(report) {
  $('#range-summary').textContent = summary(report);
  $('#range-latency').textContent = latency(report);
  $('#range-head').textContent = `with v${report.playbookVersion}`;
  const rows = [...report.changes.map(c => ({ ...c, by: 'playbook' })),
    ...((report.llm && report.llm.changes) || []).map(c => ({ ...c, by: 'llm' }))]
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const body = $('#range-table tbody');
  body.replaceChildren();
  for (const c of rows) {
    const row = body.insertRow();
    row.className = c.change;
    row.dataset.utterance = c.utteranceId;
    row.dataset.change = c.change;
    row.dataset.by = c.by;
    cell(row, new Date(c.at).toLocaleString());
    const link = cell(row, '').appendChild(document.createElement('a'));
    link.href = '#/calls/' + encodeURIComponent(c.sessionId);
    link.textContent = c.sessionId;
    cell(row, c.text);
    suggestionCell(row, c.live, 'live');
    suggestionCell(row, c.replayed, 'replayed');
    changeCell(row, c.by === 'llm' ? `${c.change} (LLM)` : c.change, c.live);
  }
  if (!rows.length) cell(body.insertRow(), 'nothing changes').className = 'empty';
  $('#range-result').hidden = false;
}

function localInput(date) {
  const shifted = new Date(date.getTime() - date.getTimezoneOffset() * 60000);
  return shifted.toISOString().slice(0, 16);
}

$('#range-replay-form').addEventListener('submit', event => {
  event.preventDefault();
  const body = { from: new Date($('#range-from').value).toISOString(), to: new Date($('#range-to').value).toISOString(),
    ...request('#range-version', '#range-model') };
  runReplay($('#range-run'), '#range-state', body, showRangeReplay);
});

function replayConnected() {
  replay.versions = null;
  const now = new Date();
  if (!$('#range-to').value) $('#range-to').value = localInput(new Date(now.getTime() + 60000));
  if (!$('#range-from').value) $('#range-from').value = localInput(new Date(now.getTime() - 24 * 3600 * 1000));
  loadReplayVersions();
}
