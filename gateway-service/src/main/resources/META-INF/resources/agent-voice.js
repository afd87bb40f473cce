'use strict';
// The voice agent's speech on the browser page: response.output_audio.delta (beta response.audio.delta), PCM16 24 kHz,
// played gap-free with Web Audio (each chunk scheduled where the previous one ends). A barge-in stops it at once:
// output_audio_buffer.cleared (the gateway cut the item: server VAD heard the user over it, with interrupt_response).
// Hooks: #agent-voice[data-playing][data-chunks][data-cut], and at a stop [data-played-ms][data-scheduled-ms].
window.VoiceCoachAgentVoice = (() => {
  const RATE = 24000;

  function create(element, onIdle) {
    let context = null;
    let sources = [];
    let nextStart = 0;
    let firstStart = null;
    let chunks = 0;

    function mark(playing) {
      element.dataset.playing = String(playing);
      element.dataset.chunks = String(chunks);
      element.textContent = playing ? 'AI speaking' : '';
      element.hidden = !playing;
    }

    function play(base64) {
      if (!context) {
        context = new AudioContext({ sampleRate: RATE });
      }
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const pcm = new Int16Array(bytes.buffer, 0, bytes.length >> 1);
      if (!pcm.length) {
        return;
      }
      const buffer = context.createBuffer(1, pcm.length, RATE);
      const samples = buffer.getChannelData(0);
      for (let i = 0; i < pcm.length; i++) {
        samples[i] = pcm[i] / 32768;
      }
      const source = context.createBufferSource();
      source.buffer = buffer;
      source.connect(context.destination);
      nextStart = Math.max(nextStart, context.currentTime);
      if (firstStart === null) {
        firstStart = nextStart;
      }
      source.start(nextStart);
      nextStart += buffer.duration;
      sources.push(source);
      source.onended = () => {
        sources = sources.filter((s) => s !== source);
        if (!sources.length) {
          firstStart = null;
          mark(false);
          onIdle();
        }
      };
      chunks++;
      element.dataset.cut = 'false';
      mark(true);
    }

    // stops what plays and what is scheduled; cut: a barge-in (not the connection going away)
    function stop(cut) {
      const playing = sources.length > 0;
      if (playing) { // how far the scheduled audio got, of how much
        element.dataset.playedMs = String(Math.round((context.currentTime - firstStart) * 1000));
        element.dataset.scheduledMs = String(Math.round((nextStart - firstStart) * 1000));
      }
      for (const source of sources) {
        source.onended = null;
        source.stop();
      }
      sources = [];
      nextStart = 0;
      firstStart = null;
      if (playing && cut) {
        element.dataset.cut = 'true';
      }
      mark(false);
      if (playing) {
        onIdle();
      }
    }

    // the server events that concern the agent's voice; the page handles the rest
    function handle(event) {
      switch (event.type) {
        case 'response.output_audio.delta':
        case 'response.audio.delta':
          play(event.delta);
          break;
        case 'output_audio_buffer.cleared':
          stop(true);
          break;
        default:
          break;
      }
    }

    return { handle, stop: () => stop(false), playing: () => sources.length > 0 };
  }

  return { create };
})();
