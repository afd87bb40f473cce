// AudioWorklet: microphone float samples -> PCM16 at the target rate (linear interpolation when the context runs at
// another rate), posted to the page in blocks of blockSamples.
class PcmCapture extends AudioWorkletProcessor {
  constructor(options) {
    super();
    this.step = sampleRate / options.processorOptions.targetRate; // input samples per output sample
    this.blockSamples = options.processorOptions.blockSamples;
    this.position = 0; // read position relative to the current quantum; -1 is the previous quantum's last sample
    this.previous = 0;
    this.block = new Int16Array(this.blockSamples);
    this.fill = 0;
  }

  process(inputs) {
    const input = inputs[0] && inputs[0][0];
    if (!input || input.length === 0) {
      return true;
    }
    const at = (i) => (i < 0 ? this.previous : input[i]);
    while (this.position <= input.length - 1) {
      const i = Math.floor(this.position);
      const fraction = this.position - i;
      const sample = fraction === 0 ? at(i) : at(i) + (at(i + 1) - at(i)) * fraction;
      const clamped = Math.max(-1, Math.min(1, sample));
      this.block[this.fill++] = clamped < 0 ? clamped * 0x8000 : clamped * 0x7fff;
      if (this.fill === this.blockSamples) {
        this.port.postMessage(this.block.buffer, [this.block.buffer]);
        this.block = new Int16Array(this.blockSamples);
        this.fill = 0;
      }
      this.position += this.step;
    }
    this.position -= input.length;
    this.previous = input[input.length - 1];
    return true;
  }
}

registerProcessor('pcm-capture', PcmCapture);
