'use strict';
// VoiceCoach browser client: microphone -> PCM16 24 kHz -> input_audio_buffer.append over the Realtime WebSocket;
// transcripts, coaching cards and AI reply text back. No build step, no dependencies.
// In coach mode the microphone is the rep (track `agent`); `?call=<id>&track=customer` makes this page the call's
// customer leg (a second session joined to the rep's by call_id), e.g. in the softphone's tab or on a second device.
// Or the rep's page shares the softphone tab's audio (getDisplayMedia) as the `customer` track of its own session.
// When the connection drops or the gateway restarts (close 1012), the page resumes its session (any gateway instance
// takes it) with the event_id of the last replayable frame it got, so nothing is missed or shown twice.
(() => {
  const RATE = 24000;
  const BLOCK_SAMPLES = 2400; // 100 ms per append frame
  const LABELS = {
    idle: 'Idle', connecting: 'Connecting…', listening: 'Listening', 'ai-speaking': 'AI speaking',
    reconnecting: 'Reconnecting…', error: 'Error',
  };
  // frames whose event_id is a resume cursor
  const REPLAYABLE = new Set(['voicecoach.coaching.suggestion', 'voicecoach.coaching.battle_card',
    'voicecoach.stage.changed', 'voicecoach.compliance.checklist',
    'conversation.item.input_audio_transcription.delta', 'conversation.item.input_audio_transcription.completed',
    'conversation.item.input_audio_transcription.failed', 'response.created', 'response.output_text.delta',
    'response.output_text.done', 'response.function_call_arguments.done', 'response.done',
    'response.output_audio.delta', 'response.output_audio.done', 'response.output_audio_transcript.delta',
    'response.output_audio_transcript.done']);
  // the gateway's final closes (idle, slow client, resumed elsewhere, session gone, limit): no reconnect
  const FINAL_CLOSES = new Set([1000, 4001, 4002, 4003, 4004, 4029]);
  const PARAMS = new URLSearchParams(location.search);
  // ?mode=agent: the voice agent answers (its replies spoken here); else coach mode
  const MODE = PARAMS.get('mode');
  // ?call=<id>: the call this page's session joins (else its own session id); ?track=agent|customer: who the
  // microphone is. In agent mode the microphone is always the caller the voice agent answers: `customer`.
  const CALL = PARAMS.get('call');
  const TRACK = MODE === 'agent' ? 'customer' : (PARAMS.get('track') || 'agent');
  const ROLE = TRACK === 'customer' ? 'customer' : 'rep';
  const LEG_PROBLEM = TRACK !== 'agent' && TRACK !== 'customer' ? 'unknown track "' + TRACK + '": use agent or customer'
    : MODE !== 'agent' && TRACK === 'customer' && !CALL ? 'the customer leg needs the rep\'s call: ?call=<id>&track=customer'
      : null;
  const RECONNECT_DELAYS_MS = [250, 500, 1000, 2000, 4000, 4000, 4000, 4000]; // ~20 s, inside the 30 s resume window

  const $ = (id) => document.getElementById(id);
  const ui = {
    form: $('connect-form'), key: $('api-key'), connect: $('connect'), disconnect: $('disconnect'),
    status: $('status'), error: $('error'), session: $('session-id'), frames: $('frames-sent'), speech: $('speech'),
    transcript: $('transcript'), reply: $('reply'), cards: $('cards'), cardTemplate: $('card-template'),
    stage: $('stage'), checklist: $('checklist'), leg: $('leg'), trackLabel: $('track-label'), callId: $('call-id'),
    customerLeg: $('customer-leg'), customerLink: $('customer-link'), copyLink: $('copy-customer-link'),
    shareTab: $('share-tab-audio'),
  };
  // the agent's voice (agent-voice.js); once it stops, a reply that is over leaves the AI-speaking state
  const voice = window.VoiceCoachAgentVoice.create($('agent-voice'), () => {
    if (ui.status.dataset.state === 'ai-speaking' && !replying) {
      setState('listening');
    }
  });
  let replying = false;

  let socket = null;
  let microphone = null;
  let framesSent = 0;
  let userClosed = false;
  let apiKey = null;
  let sessionId = null;
  let lastEventId = null;
  let reconnects = 0;

  function setState(state, message) {
    ui.status.dataset.state = state;
    ui.status.textContent = LABELS[state];
    const busy = state === 'connecting' || state === 'listening' || state === 'ai-speaking'
      || state === 'reconnecting';
    ui.connect.disabled = busy || Boolean(LEG_PROBLEM);
    ui.key.disabled = busy;
    ui.disconnect.disabled = !busy;
    ui.shareTab.disabled = !busy || !microphone;
    if (message !== undefined) {
      showError(message);
    }
  }

  function showError(message) {
    ui.error.hidden = !message;
    ui.error.textContent = message || '';
  }

  // a secret for a new session (bound to the call's leg when the page names a call), or one bound to the session
  // being resumed: only such a secret may resume it
  async function mintClientSecret(apiKey, binding) {
    const request = { session: { type: 'realtime' } };
    if (binding) {
      request.voicecoach = binding;
    }
    const response = await fetch('/v1/realtime/client_secrets', {
      method: 'POST',
      headers: { Authorization: 'Bearer ' + apiKey, 'Content-Type': 'application/json' },
      body: JSON.stringify(request),
    });
    if (!response.ok) {
      let detail = response.status + ' ' + response.statusText;
      try {
        const problem = await response.json();
        detail = problem.detail || problem.title || (problem.error && problem.error.message) || detail;
      } catch (ignored) { /* not JSON */ }
      throw new Error('API key refused: ' + detail);
    }
    const body = await response.json();
    if (!body.value) {
      throw new Error('the gateway answered without a client secret');
    }
    return body.value;
  }

  function openSocket(secret, resume) {
    let url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/v1/realtime';
    if (resume) {
      url += '?session_id=' + encodeURIComponent(sessionId)
        + (lastEventId ? '&last_event_id=' + encodeURIComponent(lastEventId) : '');
    }
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, ['realtime', 'openai-insecure-api-key.' + secret]);
      ws.onopen = () => resolve(ws);
      ws.onclose = (event) => reject(new Error('the gateway refused the connection (' + event.code + ')'));
    });
  }

  async function startMicrophone() {
    const stream = await navigator.mediaDevices.getUserMedia({
      audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true },
    });
    let context;
    try {
      context = new AudioContext({ sampleRate: RATE });
    } catch (unsupportedRate) {
      context = new AudioContext(); // the worklet resamples
    }
    await context.audioWorklet.addModule('pcm-capture.js');
    const mute = context.createGain();
    mute.gain.value = 0;
    mute.connect(context.destination); // the captures are pulled by the graph, never heard
    const audio = { stream, context, mute, shared: null };
    capture(audio, stream, TRACK);
    await context.resume();
    return audio;
  }

  // streams `stream` as `track`: PCM16 blocks of the worklet become appends
  function capture(audio, stream, track) {
    const source = audio.context.createMediaStreamSource(stream);
    const worklet = new AudioWorkletNode(audio.context, 'pcm-capture', {
      processorOptions: { targetRate: RATE, blockSamples: BLOCK_SAMPLES },
    });
    worklet.port.onmessage = (event) => sendAudio(event.data, track);
    source.connect(worklet).connect(audio.mute);
    return { source, worklet };
  }

  function stopMicrophone() {
    if (microphone) {
      stopSharing();
      microphone.stream.getTracks().forEach((track) => track.stop());
      microphone.context.close();
      microphone = null;
    }
  }

  // the softphone's tab (or any tab or screen with audio) as the customer track of this session
  async function shareTabAudio() {
    if (!microphone || microphone.shared) {
      return;
    }
    let stream;
    try {
      stream = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: true });
    } catch (failure) {
      showError('tab audio not shared: ' + (failure.message || failure.name));
      return;
    }
    stream.getVideoTracks().forEach((track) => track.stop()); // only the sound is wanted
    const tracks = stream.getAudioTracks();
    if (tracks.length === 0 || !microphone) {
      showError(tracks.length === 0 ? 'the shared tab gives no audio: pick a tab and tick "Share tab audio"' : '');
      stream.getTracks().forEach((track) => track.stop());
      return;
    }
    const audio = new MediaStream(tracks);
    microphone.shared = { stream: audio, nodes: capture(microphone, audio, 'customer') };
    tracks[0].addEventListener('ended', stopSharing); // the browser's own "stop sharing"
    showSharing(true);
  }

  function stopSharing() {
    if (microphone && microphone.shared) {
      microphone.shared.stream.getTracks().forEach((track) => track.stop());
      microphone.shared.nodes.source.disconnect();
      microphone.shared.nodes.worklet.disconnect();
      microphone.shared = null;
    }
    showSharing(false);
  }

  function showSharing(sharing) {
    ui.shareTab.dataset.sharing = String(sharing);
    ui.shareTab.textContent = sharing ? 'Stop sharing tab audio' : 'Share tab audio as customer';
  }

  function base64(buffer) {
    const bytes = new Uint8Array(buffer);
    let binary = '';
    for (let i = 0; i < bytes.length; i += 0x8000) {
      binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    }
    return btoa(binary);
  }

  function send(event) {
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify(event));
      return true;
    }
    return false;
  }

  function sendAudio(pcm16, track) {
    if (send({ type: 'input_audio_buffer.append', audio: base64(pcm16), voicecoach: { track } })) {
      framesSent++;
      ui.frames.textContent = String(framesSent);
      ui.frames.dataset.count = String(framesSent);
      if (track !== TRACK) {
        ui.shareTab.dataset.frames = String(Number(ui.shareTab.dataset.frames) + 1);
      }
    }
  }

  function transcriptLine(itemId) {
    let line = ui.transcript.querySelector('li[data-item-id="' + CSS.escape(itemId) + '"]');
    if (!line) {
      line = document.createElement('li');
      line.dataset.itemId = itemId;
      line.dataset.final = 'false';
      ui.transcript.appendChild(line);
    }
    return line;
  }

  function addCard(suggestion) {
    if (ui.cards.querySelector('[data-suggestion-id="' + CSS.escape(suggestion.id) + '"]')) {
      return;
    }
    const card = ui.cardTemplate.content.firstElementChild.cloneNode(true);
    card.dataset.suggestionId = suggestion.id;
    card.dataset.kind = suggestion.kind || '';
    card.dataset.category = suggestion.category || '';
    card.querySelector('.card-title').textContent = suggestion.title || '';
    card.querySelector('.card-message').textContent = suggestion.message || '';
    if (suggestion.card) {
      showBattleCard(card, suggestion.card);
    }
    showCitations(card, suggestion.citations || []);
    ui.cards.prepend(card);
  }

  // the knowledge-base chunks a suggestion draws on: document title, chunk and the words it quotes
  function showCitations(card, citations) {
    const list = card.querySelector('.citations');
    citations.forEach((citation) => {
      const item = document.createElement('li');
      item.className = 'citation';
      item.dataset.documentId = citation.document_id || '';
      item.dataset.chunkIndex = String(citation.chunk_index);
      const source = item.appendChild(document.createElement('cite'));
      source.textContent = (citation.document_title || citation.document_id || 'document') + ' · part '
        + (citation.chunk_index + 1);
      item.appendChild(document.createElement('q')).textContent = citation.excerpt || '';
      list.appendChild(item);
    });
    list.hidden = citations.length === 0;
  }

  // voicecoach.compliance.checklist: the whole checklist each time; must-say ticked or missed, must-not-say kept
  // or broken
  const CHECK_MARKS = { pending: '○', said: '✓', missed: '✗', kept: '✓', broken: '⚠' };
  function showChecklist(event) {
    ui.checklist.replaceChildren();
    (event.items || []).forEach((item) => {
      const line = document.createElement('li');
      line.dataset.rule = item.rule_id;
      line.dataset.kind = item.kind;
      line.dataset.status = item.status;
      line.title = item.message || '';
      const what = item.kind === 'must_not_say' ? 'never: ' : 'say: ';
      line.textContent = (CHECK_MARKS[item.status] || '?') + ' ' + what + item.rule_id.replace(/_/g, ' ');
      ui.checklist.appendChild(line);
    });
    ui.checklist.dataset.closed = String(Boolean(event.closed));
  }

  // voicecoach.stage.changed: the stage of the tenant's methodology the call is in now
  function showStage(event) {
    ui.stage.dataset.stage = event.stage;
    ui.stage.dataset.previousStage = event.previous_stage || '';
    ui.stage.textContent = 'stage: ' + event.stage;
  }

  // voicecoach.coaching.battle_card: the battle card follows the suggestion it belongs to (always after it)
  function attachBattleCard(event) {
    const card = ui.cards.querySelector('[data-suggestion-id="' + CSS.escape(event.suggestion_id) + '"]');
    if (card && event.card) {
      showBattleCard(card, event.card);
    }
  }

  function showBattleCard(card, battleCard) {
    const battle = card.querySelector('.battle-card');
    battle.querySelector('.battle-card-title').textContent = battleCard.title || '';
    battle.querySelector('.battle-card-body').textContent = battleCard.body || '';
    const points = battle.querySelector('.battle-card-points');
    points.replaceChildren();
    (battleCard.talking_points || []).forEach((point) => {
      const item = document.createElement('li');
      item.textContent = point;
      points.appendChild(item);
    });
    battle.hidden = false;
  }

  function setSpeaking(speaking) {
    ui.speech.dataset.speaking = String(speaking);
    ui.speech.textContent = speaking ? 'you are speaking' : 'silence';
  }

  // the call this session is in; the rep's page offers the link that opens the customer leg of it
  function showCall(session) {
    const callId = (session.voicecoach && session.voicecoach.call_id) || CALL || session.id;
    ui.leg.dataset.callId = callId;
    ui.callId.textContent = callId;
    if (MODE !== 'agent' && ROLE === 'rep') {
      ui.customerLink.value = location.origin + location.pathname + '?call=' + encodeURIComponent(callId)
        + '&track=customer';
      ui.customerLeg.hidden = false;
    }
  }

  function copyCustomerLink() {
    const copied = () => { ui.copyLink.dataset.copied = 'true'; };
    ui.customerLink.select();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(ui.customerLink.value).then(copied, () => {
        if (document.execCommand('copy')) {
          copied();
        }
      });
    } else if (document.execCommand('copy')) {
      copied();
    }
  }

  function onServerEvent(event) {
    if (REPLAYABLE.has(event.type)) {
      lastEventId = event.event_id;
    }
    voice.handle(event);
    switch (event.type) {
      case 'session.created':
        sessionId = event.session.id;
        ui.session.textContent = event.session.id;
        ui.session.dataset.sessionId = event.session.id;
        showCall(event.session);
        break;
      case 'session.updated':
        showCall(event.session);
        break;
      case 'input_audio_buffer.speech_started':
        setSpeaking(true);
        break;
      case 'input_audio_buffer.speech_stopped':
        setSpeaking(false);
        break;
      case 'conversation.item.input_audio_transcription.delta':
        transcriptLine(event.item_id).textContent += event.delta;
        break;
      case 'conversation.item.input_audio_transcription.completed': {
        const line = transcriptLine(event.item_id);
        line.textContent = event.transcript;
        line.dataset.final = 'true';
        break;
      }
      case 'voicecoach.coaching.suggestion':
        addCard(event.suggestion);
        break;
      case 'voicecoach.coaching.battle_card':
        attachBattleCard(event);
        break;
      case 'voicecoach.stage.changed':
        showStage(event);
        break;
      case 'voicecoach.compliance.checklist':
        showChecklist(event);
        break;
      case 'response.created':
        ui.reply.textContent = '';
        replying = true;
        setState('ai-speaking');
        break;
      case 'response.output_audio.delta':
      case 'response.audio.delta':
        if (ui.status.dataset.state !== 'ai-speaking') {
          setState('ai-speaking');
        }
        break;
      case 'response.output_text.delta':
      case 'response.text.delta':
      case 'response.output_audio_transcript.delta':
      case 'response.audio_transcript.delta':
        if (ui.status.dataset.state !== 'ai-speaking') {
          setState('ai-speaking');
        }
        ui.reply.textContent += event.delta;
        break;
      case 'response.done':
        replying = false;
        if (!voice.playing()) { // else the voice's end leaves the state
          setState('listening');
        }
        break;
      case 'error':
        showError(event.error.code + ': ' + event.error.message);
        break;
      default:
        break;
    }
  }

  function attach(ws) {
    socket = ws;
    ws.onmessage = (message) => onServerEvent(JSON.parse(message.data));
    ws.onclose = (event) => {
      socket = null;
      setSpeaking(false);
      if (userClosed) {
        stopMicrophone();
        setState('idle');
      } else if (sessionId && !FINAL_CLOSES.has(event.code)) {
        reconnect(0); // the microphone keeps running; frames captured meanwhile are dropped
      } else {
        stopMicrophone();
        setState('error', 'connection closed by the gateway (' + event.code + (event.reason ? ' ' + event.reason : '') + ')');
      }
    };
  }

  function delay(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  // resumes the session with bounded back-off; a fresh client secret bound to the session each time
  async function reconnect(attempt) {
    if (userClosed) {
      return;
    }
    if (attempt >= RECONNECT_DELAYS_MS.length) {
      stopMicrophone();
      setState('error', 'the session could not be resumed');
      return;
    }
    setState('reconnecting');
    await delay(RECONNECT_DELAYS_MS[attempt]);
    if (userClosed) {
      return;
    }
    try {
      const ws = await openSocket(await mintClientSecret(apiKey, { session_id: sessionId }), true);
      if (userClosed) {
        ws.close(1000);
        return;
      }
      attach(ws);
      reconnects++;
      ui.status.dataset.reconnects = String(reconnects);
      setState('listening', '');
    } catch (failure) {
      reconnect(attempt + 1);
    }
  }

  // the customer leg carries only the customer's track, so coaching gives it no rep nudges or checklist; the rep's
  // session carries both (microphone `agent`, a shared tab `customer`)
  function sessionFields(leg) {
    const fields = Object.assign({}, leg || { role: ROLE });
    if (ROLE === 'customer') {
      fields.tracks = ['customer'];
    }
    return fields;
  }

  async function connect(key) {
    userClosed = false;
    framesSent = 0;
    apiKey = key;
    sessionId = null;
    lastEventId = null;
    setState('connecting', '');
    try {
      const leg = CALL && MODE !== 'agent' ? { call_id: CALL, role: ROLE } : null;
      const secret = await mintClientSecret(apiKey, leg);
      attach(await openSocket(secret, false));
      send({
        type: 'session.update',
        session: Object.assign({ type: 'realtime', output_modalities: ['audio'],
          audio: { input: { format: { type: 'audio/pcm', rate: RATE } }, output: { format: { type: 'audio/pcm' } } } },
        MODE === 'agent' ? { voicecoach: { mode: 'agent' } } : { voicecoach: sessionFields(leg) }),
      });
      microphone = await startMicrophone();
      setState('listening');
    } catch (failure) {
      userClosed = true;
      if (socket) {
        socket.close(1000);
        socket = null;
      }
      stopMicrophone();
      setState('error', failure.message || String(failure));
    }
  }

  function disconnect() {
    userClosed = true;
    voice.stop();
    stopMicrophone();
    setSpeaking(false);
    if (socket) {
      socket.close(1000, 'client disconnect');
      socket = null;
    }
    setState('idle');
  }

  ui.form.addEventListener('submit', (event) => {
    event.preventDefault();
    connect(ui.key.value.trim());
  });
  ui.disconnect.addEventListener('click', disconnect);
  ui.copyLink.addEventListener('click', copyCustomerLink);
  ui.shareTab.addEventListener('click', () => (ui.shareTab.dataset.sharing === 'true' ? stopSharing() : shareTabAudio()));
  ui.shareTab.hidden = MODE === 'agent' || ROLE !== 'rep';
  ui.leg.dataset.track = TRACK;
  ui.trackLabel.textContent = TRACK === 'agent' ? 'rep (agent track)' : 'customer (customer track)';
  setState('idle', LEG_PROBLEM || '');
})();
