// Shared by the browser page scripts: a check that stops the script at the first failure, a headless Chromium
// whose fake microphone plays SPEECH_WAV (looped) with autoplay allowed, a page that logs its console, and waits on
// the page's status.
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

// waits until the page's status is `expected`
async function state(page, expected, timeout = 60000) {
  await page.waitForSelector(`#status[data-state="${expected}"]`, { timeout });
  console.log('state: ' + expected);
}

// from now on the page keeps every status it goes through in window.states
function recordStates(page) {
  return page.evaluate(() => {
    window.states = [];
    const status = document.getElementById('status');
    new MutationObserver(() => window.states.push(status.dataset.state))
      .observe(status, { attributes: true, attributeFilter: ['data-state'] });
  });
}

module.exports = { check, launchWithMicrophone, openPage, state, recordStates };
