'use strict';
// The Agents SDK's RealtimeSession (@openai/agents-realtime) against the gateway over wss, authenticating as a
// browser does (subprotocols realtime, openai-insecure-api-key.<key>, openai-agents-sdk.<version>), with the SDK's
// default session config plus agent mode: the refused defaults are reported, a function tool is called and its
// output answered, a reply is interrupted by the caller's speech, an item is truncated and one deleted, the audio
// turn gets its transcript. Exits 0 only if every check held.
const path = require('path');
const WebSocket = require('ws');
const { RealtimeAgent, RealtimeSession, OpenAIRealtimeWebSocket, tool } = require('@openai/agents-realtime');
const { Frames, check, until, speechFrames, main } = require('./conformance.js');

const version = require(path.join(process.env.SDK_MODULES, '@openai/agents-realtime/package.json')).version;
const key = process.env.API_KEY;

main(async () => {
  const calls = [];
  const lookupOrder = tool({
    name: process.env.TOOL,
    description: 'Looks an order up by its number.',
    parameters: { type: 'object', properties: { order: { type: 'string' } }, required: ['order'],
      additionalProperties: false },
    strict: true,
    execute: async (input) => {
      calls.push(input);
      return { status: 'shipped' };
    },
  });
  const agent = new RealtimeAgent({ name: 'Service desk', instructions: 'Help the caller.', tools: [lookupOrder] });
  let protocol;
  const transport = new OpenAIRealtimeWebSocket({
    url: process.env.GATEWAY_WSS,
    createWebSocket: async ({ url }) => {
      const socket = new WebSocket(url, ['realtime', 'openai-insecure-api-key.' + key, 'openai-agents-sdk.' + version]);
      socket.on('upgrade', (response) => { protocol = response.headers['sec-websocket-protocol']; });
      return socket;
    },
  });
  const session = new RealtimeSession(agent, { transport, model: 'gpt-realtime',
    config: { providerData: { voicecoach: { mode: 'agent' } } } });
  const frames = new Frames();
  const errors = [];
  session.on('transport_event', (event) => frames.add(event));
  session.on('error', (error) => errors.push(error));
  await session.connect({ apiKey: key });

  const created = await frames.type('session.created');
  console.log('SESSION ' + created.session.id);
  check(protocol === 'realtime', 'the server answers with the realtime subprotocol', protocol);
  const updated = (await frames.type('session.updated', (e) => e.session.voicecoach.mode === 'agent')).session;
  check(updated.tools.map((t) => t.name).includes(process.env.TOOL), 'the tool is declared', updated.tools);
  // audio output is honoured since the speech stage (README "Audio out"); the stand-in pipeline speaks nothing,
  // so the replies arrive as text only
  check(updated.output_modalities.join() === 'audio', 'audio output accepted', updated);
  check(updated.audio.input.turn_detection.type === 'server_vad', 'turn detection stays server_vad', updated);
  // the SDK's defaults ask for semantic_vad: refused with a documented error
  await until('the refusal', () => frames.ofType('error').length >= 1);
  const params = frames.ofType('error').map((e) => `${e.error.code} ${e.error.param}`).sort();
  check(JSON.stringify(params) === JSON.stringify(['unsupported_value session.audio.input.turn_detection']),
    'the refused default', params);

  // a function tool in agent mode: called, run by the SDK, its output answered
  session.sendMessage('Where is my order A-17?');
  await until('the tool ran', () => calls.length === 1);
  check(calls[0].order === 'A-17', 'the tool got its arguments', calls);
  await until('the answer quoting the tool output', () => session.history.some((item) => item.role === 'assistant'
    && item.content.some((part) => (part.text || '').includes('has shipped'))));
  const call = session.history.find((item) => item.type === 'function_call');
  check(call && call.name === process.env.TOOL && call.status === 'completed', 'the call in history', call);
  const asked = session.history.find((item) => item.role === 'user'
    && item.content.some((part) => part.text === 'Where is my order A-17?'));
  check(asked, 'the question in history', session.history);

  // interrupt: the caller speaks over a reply in progress
  const story = frames.all.length;
  session.sendMessage('Tell me a long story.');
  const delta = await frames.type('response.output_text.delta', (e) => e.delta === process.env.STORY, story);
  for (const frame of speechFrames()) {
    session.sendAudio(frame.buffer.slice(frame.byteOffset, frame.byteOffset + frame.byteLength));
  }
  await frames.type('input_audio_buffer.speech_started', () => true, story);
  const cancelled = await frames.type('response.done', (e) => e.response.id === delta.response_id);
  check(cancelled.response.status === 'cancelled', 'the reply was cut short', cancelled.response);
  await until('the story is incomplete in history', () => session.history.some((item) => item.itemId === delta.item_id
    && item.status === 'incomplete'));
  const after = frames.all.length;
  session.sendMessage('Thanks.');
  const next = await frames.type('response.done', () => true, after);
  check(next.response.status === 'completed', 'a new response after the interruption', next.response);

  // truncate what was heard of the story, delete the first question
  session.transport.sendEvent({ type: 'conversation.item.truncate', item_id: delta.item_id, content_index: 0,
    audio_end_ms: 500 });
  await frames.type('conversation.item.truncated', (e) => e.item_id === delta.item_id);
  await frames.type('conversation.item.retrieved', (e) => e.item.id === delta.item_id);
  session.updateHistory((history) => history.filter((item) => item.itemId !== asked.itemId));
  await frames.type('conversation.item.deleted', (e) => e.item_id === asked.itemId);
  await until('the question left history', () => !session.history.some((item) => item.itemId === asked.itemId));

  // the caller's audio turn got its transcript
  await until('the audio turn transcribed', () => session.history.some((item) => item.role === 'user'
    && item.content.some((part) => part.type === 'input_audio' && part.transcript === process.env.HEARD)));
  check(frames.schemaFailures.length === 0, 'every frame fits the SDK schema', frames.schemaFailures);
  check(errors.length === 1, 'no error but the refusal', errors.map((e) => String(e.error && e.error.message
    || e.error || e)));
  session.close();
});
