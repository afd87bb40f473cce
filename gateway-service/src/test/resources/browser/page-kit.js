// Shared by the browser page scripts: a check that stops the script at the first failure, a headless Chromium
// whose fake microphone plays SPEECH_WAV (looped) with autoplay allowed, and a page that logs its console.
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

// a new page of the browser that logs the page's console and errors, at url
async function openPage(browser, url) {
  const page = await browser.newPage();
  page.on('console', (message) => console.log('page console: ' + message.text()));
  page.on('pageerror', (error) => console.log('page error: ' + error.message));
  await page.goto(url);
  return page;
}

module.exports = { check, launchWithMicrophone, openPage };
