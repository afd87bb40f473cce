// Shared by the browser page scripts: a check that stops the script at the first failure, and a headless Chromium
// whose fake microphone plays SPEECH_WAV (looped) with autoplay allowed.
const { chromium } = require('playwright-core');

function check(condition, what) {
  if (!condition) {
    throw new Error('check failed: ' + what);
  }
  console.log('ok: ' + what);
}

function launchWithMicrophone(env) {
  return chromium.launch({
    executablePath: env.CHROMIUM_PATH,
    args: ['--no-sandbox', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
      '--use-file-for-fake-audio-capture=' + env.SPEECH_WAV, '--autoplay-policy=no-user-gesture-required'],
  });
}

module.exports = { check, launchWithMicrophone };
