'use strict';
// The `openai` package's OpenAIRealtimeWS against the gateway over wss: session update (one field refused), coaching
// as out-of-band responses, typed text, audio with server VAD and its transcript, item retrieve, then a
// transcription session (?intent=transcription). Exits 0 only if every check held.
const { OpenAI } = require('openai');
const { OpenAIRealtimeWS } = require('openai/realtime/ws');
const { Frames, check, speechFrames, main } = require('./conformance.js');

function connect(client, props) {
  const frames = new Frames();
  const errors = [];
  const rt = new OpenAIRealtimeWS(props, client);
  rt.on('event', (event) => frames.add(event));
  rt.on('error', (error) => errors.push(error));
  const opened = new Promise((resolve, reject) => {
    rt.socket.on('open', resolve);
    rt.socket.on('error', reject);
  });
  return { rt, frames, errors, opened };
}

main(async () => {
  const client = new OpenAI({ apiKey: process.env.API_KEY, baseURL: process.env.GATEWAY_BASE });
  const { rt, frames, errors, opened } = connect(client, { model: 'gpt-realtime' });
  await opened;

  const created = await frames.type('session.created');
  console.log('SESSION ' + created.session.id);
  check(created.session.type === 'realtime', 'a realtime session', created.session);
  const limits = await frames.type('rate_limits.updated');
  check(limits.rate_limits[0].name === 'requests' && limits.rate_limits[0].limit > 0, 'the append limit', limits);

  rt.send({
    type: 'session.update', event_id: 'evt_update',
    session: {
      type: 'realtime', instructions: 'Coach the rep.', output_modalities: ['text'], max_output_tokens: 150,
      audio: {
        input: {
          format: { type: 'audio/pcm', rate: 24000 },
          turn_detection: { type: 'server_vad', silence_duration_ms: 400 },
          transcription: { model: 'whisper-1', language: 'en' },
        },
      },
    },
  });
  const updated = (await frames.type('session.updated')).session;
  check(updated.instructions === 'Coach the rep.', 'instructions applied', updated);
  check(updated.audio.input.turn_detection.silence_duration_ms === 400, 'server VAD settings applied', updated);
  check(updated.audio.input.transcription.model === 'whisper-1', 'transcription applied', updated);
  check(updated.max_output_tokens === 'inf', 'the refused token cap stays inf', updated);
  const refused = await frames.type('error', (e) => e.error.event_id === 'evt_update');
  check(refused.error.code === 'unsupported_value' && refused.error.param === 'session.max_output_tokens',
    'max_output_tokens refused with unsupported_value', refused);
  check(errors.length === 1 && /unsupported_value/.test(errors[0].message), 'the SDK reported that error', errors.map(String));

  // coaching as out-of-band responses
  rt.send({ type: 'response.create', event_id: 'evt_oob',
    response: { conversation: 'none', metadata: { voicecoach: 'coaching', panel: 'tips' } } });
  const accepted = await frames.type('response.done', (e) => e.response.metadata && e.response.metadata.panel === 'tips');
  check(accepted.response.status === 'completed', 'the coaching request completes', accepted);

  const typed = frames.all.length;
  rt.send({ type: 'conversation.item.create', item: { id: 'item_price', type: 'message', role: 'user',
    content: [{ type: 'input_text', text: 'Honestly the price is too high for us this quarter.' }] } });
  const added = await frames.type('conversation.item.added', (e) => e.item.id === 'item_price', typed);
  await frames.type('conversation.item.done', (e) => e.item.id === 'item_price', typed);
  check(frames.all.indexOf(added) < frames.all.length, 'item added before done');
  const suggestion = await frames.type('voicecoach.coaching.suggestion', () => true, typed);
  const coached = await frames.type('response.done',
    (e) => e.response.voicecoach && e.response.voicecoach.suggestion
      && e.response.voicecoach.suggestion.id === suggestion.suggestion.id, typed);
  check(coached.response.conversation_id === null && coached.response.metadata.voicecoach === 'coaching',
    'an out-of-band response with the metadata', coached.response);
  const text = coached.response.output[0].content[0].text;
  check(text.startsWith(suggestion.suggestion.title), 'the response shows the suggestion', { text });
  const deltas = frames.ofType('response.output_text.delta').filter((e) => e.response_id === coached.response.id)
    .map((e) => e.delta).join('');
  check(deltas === text, 'the text streamed as deltas', { deltas, text });

  // audio: server VAD turns, the committed item, its transcript
  const spoken = frames.all.length;
  for (const frame of speechFrames()) {
    rt.send({ type: 'input_audio_buffer.append', audio: frame.toString('base64') });
  }
  await frames.type('input_audio_buffer.speech_started', () => true, spoken);
  const committed = await frames.type('input_audio_buffer.committed', () => true, spoken);
  const itemId = committed.item_id;
  const audioItem = await frames.type('conversation.item.added', (e) => e.item.id === itemId, spoken);
  check(audioItem.item.content[0].type === 'input_audio', 'an input_audio item', audioItem);
  const heard = await frames.type('conversation.item.input_audio_transcription.completed', (e) => e.item_id === itemId);
  check(heard.transcript === process.env.HEARD, 'the transcript', heard);
  rt.send({ type: 'conversation.item.retrieve', item_id: itemId });
  const retrieved = await frames.type('conversation.item.retrieved', (e) => e.item.id === itemId);
  check(retrieved.item.content[0].transcript === process.env.HEARD, 'the retrieved item has its transcript', retrieved);
  check(frames.schemaFailures.length === 0, 'every frame fits the SDK schema', frames.schemaFailures);
  rt.close();

  // a transcription session
  const transcription = connect(client, { intent: 'transcription' });
  await transcription.opened;
  const session = (await transcription.frames.type('session.created')).session;
  console.log('TRANSCRIPTION ' + session.id);
  check(session.type === 'transcription', 'a transcription session', session);
  transcription.rt.send({ type: 'response.create', event_id: 'evt_no' });
  const noResponse = await transcription.frames.type('error', (e) => e.error.event_id === 'evt_no');
  check(noResponse.error.code === 'invalid_session_type', 'no responses in a transcription session', noResponse);
  for (const frame of speechFrames()) {
    transcription.rt.send({ type: 'input_audio_buffer.append', audio: frame.toString('base64') });
  }
  const item = (await transcription.frames.type('input_audio_buffer.committed')).item_id;
  await transcription.frames.type('conversation.item.input_audio_transcription.completed', (e) => e.item_id === item);
  check(transcription.frames.ofType('response.created').length === 0, 'no response was created');
  check(transcription.frames.schemaFailures.length === 0, 'every frame fits the SDK schema',
    transcription.frames.schemaFailures);
  transcription.rt.close();
});
