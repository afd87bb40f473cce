// The playbook replay page: the tenant's API key, a session and a playbook version in; the suggestions the version
// would have changed out, side by side with what the rep was shown live (POST /api/v1/replays); with an LLM model,
// the LLM advice that model gives now beside the LLM advice shown live.
'use strict';

const $ = selector => document.querySelector(selector);
let apiKey = '';

async function api(path, options = {}) {
  const response = await fetch(path, { ...options,
    headers: { Authorization: 'Bearer ' + apiKey, 'Content-Type': 'application/json', ...(options.headers || {}) } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    const fields = (body.errors || []).map(e => `${e.path}: ${e.message}`).join('; ');
    throw new Error(`${response.status} ${body.detail || body.title || ''}${fields ? ' (' + fields + ')' : ''}`);
  }
  return body;
}

function say(text) {
  $('#status').textContent = text;
}

async function connect(event) {
  event.preventDefault();
  apiKey = $('#api-key').value.trim();
  say('connecting…');
  try {
    const versions = await api('/api/v1/playbook/versions');
    const select = $('#version');
    select.replaceChildren(...versions.map(v => {
      const option = document.createElement('option');
      option.value = v.version;
      option.textContent = `v${v.version} ${v.name}${v.active ? ' (active)' : ''}`;
      return option;
    }));
    $('#replay-view').hidden = false;
    say('connected');
  } catch (e) {
    say('refused: ' + e.message);
  }
}

function suggestionCell(found) {
  const cell = document.createElement('td');
  if (!found) {
    cell.className = 'none';
    cell.textContent = 'no suggestion';
  } else {
    cell.textContent = `${found.kind}/${found.category} (${found.source}): ${found.title || ''}`;
    cell.dataset.category = found.category;
  }
  return cell;
}

function show(report) {
  $('#summary').textContent = `Playbook v${report.playbookVersion} "${report.playbookName}" over ${report.sessions} session(s)`
    + (report.complete ? '' : ' (not complete: part of the recording could not be read)');
  const c = report.counts;
  $('#counts').textContent = `${c.added} added, ${c.removed} removed, ${c.recategorised} re-categorised, ${c.unchanged} unchanged`;
  const l = report.latency;
  $('#latency').textContent = `live: transcript to suggestion p50 ${l.liveP50Ms ?? '-'} ms, p95 ${l.liveP95Ms ?? '-'} ms; `
    + `replayed detection p50 ${l.replayDetectP50Ms ?? '-'} ms, p95 ${l.replayDetectP95Ms ?? '-'} ms`;
  $('#replayed-head').textContent = `with v${report.playbookVersion}`;
  changeRows(report.changes, '#changes', '#no-changes');
  $('#result').hidden = false;
  const llm = report.llm;
  $('#llm-result').hidden = !llm;
  if (llm) {
    $('#llm-summary').textContent = `LLM ${llm.model}: ${llm.calls} request(s), ${llm.failed} failed`
      + (llm.complete ? '' : ' (not complete: replay.max-llm-calls reached)');
    const lc = llm.counts;
    $('#llm-counts').textContent = `${lc.added} added, ${lc.removed} removed, ${lc.recategorised} re-categorised, `
      + `${lc.unchanged} unchanged; ${llm.promptTokens + llm.completionTokens} tokens, $${llm.costUsd.toFixed(4)}; `
      + `p50 ${llm.latencyP50Ms ?? '-'} ms, p95 ${llm.latencyP95Ms ?? '-'} ms`;
    $('#llm-head').textContent = `with ${llm.model}`;
    changeRows(llm.changes, '#llm-changes', '#llm-no-changes');
  }
}

function changeRows(changes, table, empty) {
  const rows = changes.map(change => {
    const row = document.createElement('tr');
    row.className = change.change;
    row.dataset.utterance = change.utteranceId;
    const kind = document.createElement('td');
    kind.className = 'change';
    kind.textContent = change.change;
    const text = document.createElement('td');
    text.textContent = change.text;
    row.append(kind, text, suggestionCell(change.live), suggestionCell(change.replayed));
    return row;
  });
  $(table + ' tbody').replaceChildren(...rows);
  $(table).hidden = rows.length === 0;
  $(empty).hidden = rows.length > 0;
}

async function replay(event) {
  event.preventDefault();
  $('#run').disabled = true;
  say('replaying…');
  try {
    const request = { sessionId: $('#session-id').value.trim(), playbookVersion: Number($('#version').value) };
    const model = $('#llm-model').value.trim();
    if (model) request.llm = { model };
    show(await api('/api/v1/replays', { method: 'POST', body: JSON.stringify(request) }));
    say('done');
  } catch (e) {
    say('refused: ' + e.message);
  } finally {
    $('#run').disabled = false;
  }
}

$('#key-form').addEventListener('submit', connect);
$('#replay-form').addEventListener('submit', replay);
