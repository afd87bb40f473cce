'use strict';
// Shared by the SDK conformance scripts: every server event is recorded and, when its type is one the Agents SDK
// knows, held to the SDK's own zod schema (a frame that fails it would be silently dropped by RealtimeSession).
const path = require('path');

const events = require(path.join(process.env.SDK_MODULES, '@openai/agents-realtime/dist/openaiRealtimeEvents.js'));
const KNOWN = new Set(events.realtimeServerEventSchema.options.map((option) => {
  const type = option.shape.type;
  return type.value ?? [...type.values][0];
}));
const WAIT_MS = Number(process.env.WAIT_MS || 20000);

class Frames {
  constructor() {
    this.all = [];
    this.schemaFailures = [];
    this.waiters = [];
  }

  add(event) {
    if (KNOWN.has(event.type)) {
      const parsed = events.realtimeServerEventSchema.safeParse(event);
      if (!parsed.success) {
        this.schemaFailures.push(`${event.type}: ${parsed.error.message} in ${JSON.stringify(event)}`);
      }
    }
    this.all.push(event);
    for (const waiter of [...this.waiters]) {
      waiter();
    }
  }

  ofType(type) {
    return this.all.filter((event) => event.type === type);
  }

  /** The first event from index `from` on that matches, waited for (bounded). */
  waitFor(label, match, from = 0) {
    return new Promise((resolve, reject) => {
      const look = () => {
        for (let i = from; i < this.all.length; i++) {
          if (match(this.all[i])) {
            clearTimeout(timer);
            this.waiters = this.waiters.filter((waiter) => waiter !== look);
            resolve(this.all[i]);
            return true;
          }
        }
        return false;
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((waiter) => waiter !== look);
        reject(new Error(`timed out after ${WAIT_MS} ms waiting for ${label}; received: `
          + this.all.map((event) => event.type).join(', ')));
      }, WAIT_MS);
      if (!look()) {
        this.waiters.push(look);
      }
    });
  }

  type(type, extra = () => true, from = 0) {
    return this.waitFor(type, (event) => event.type === type && extra(event), from);
  }
}

function check(condition, message, detail) {
  if (!condition) {
    throw new Error(`${message}${detail === undefined ? '' : ': ' + JSON.stringify(detail)}`);
  }
}

/** Until `condition()` holds (bounded). */
async function until(label, condition) {
  const deadline = Date.now() + WAIT_MS;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${WAIT_MS} ms waiting until ${label}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** 24 kHz PCM16 mono: silence, a tone the server VAD takes for speech, silence; in 100 ms frames. */
function speechFrames() {
  const rate = 24000;
  const parts = [[300, 0], [700, 0.3], [900, 0]];
  const samples = [];
  for (const [ms, amplitude] of parts) {
    const count = rate * ms / 1000;
    for (let i = 0; i < count; i++) {
      samples.push(Math.round(amplitude * 32767 * Math.sin(2 * Math.PI * 440 * samples.length / rate)));
    }
  }
  const frames = [];
  const perFrame = rate / 10;
  for (let start = 0; start < samples.length; start += perFrame) {
    const buffer = Buffer.alloc(perFrame * 2);
    for (let i = 0; i < perFrame && start + i < samples.length; i++) {
      buffer.writeInt16LE(samples[start + i], i * 2);
    }
    frames.push(buffer);
  }
  return frames;
}

async function main(run) {
  try {
    await run();
    console.log('CONFORMANCE OK');
    process.exit(0);
  } catch (error) {
    console.error('CONFORMANCE FAILED: ' + (error && error.stack ? error.stack : error));
    process.exit(1);
  }
}

module.exports = { Frames, check, until, speechFrames, main };
