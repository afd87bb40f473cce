// The rep's page shares a tab's audio as the customer track of its own session, in headless Chromium (its fake capture
// UI picks a screen and the fake audio device, which plays SPEECH_WAV as the microphone does).
// Environment: PAGE_URL, API_KEY, SPEECH_WAV, SESSION_FILE (written once listening), SHARING_FILE (written once the
// shared audio is being sent; the test then checks both tracks on voice.audio) (and CHROMIUM_PATH from HeadlessBrowser).
// Exits non-zero at the first failed check.
const { check, launchWithMicrophone, openPage, state } = require('./page-kit.js');
const fs = require('fs');

const env = process.env;
const TIMEOUT = 60000;

function sharedFrames(page) {
  return page.getAttribute('#share-tab-audio', 'data-frames').then(Number);
}

(async () => {
  const browser = await launchWithMicrophone(env);
  try {
    const page = await openPage(browser, env.PAGE_URL);
    await state(page, 'idle', 10000);
    check(await page.isVisible('#share-tab-audio') && await page.isDisabled('#share-tab-audio'),
      'tab audio can be shared once connected');
    await page.fill('#api-key', env.API_KEY);
    await page.click('#connect');
    await state(page, 'listening');
    await page.waitForSelector('#session-id[data-session-id^="sess_"]', { state: 'attached', timeout: TIMEOUT });
    fs.writeFileSync(env.SESSION_FILE, await page.getAttribute('#session-id', 'data-session-id'));

    await page.click('#share-tab-audio');
    await page.waitForSelector('#share-tab-audio[data-sharing="true"]', { timeout: TIMEOUT });
    await page.waitForFunction(() => Number(document.getElementById('share-tab-audio').dataset.frames) >= 10, null,
      { timeout: TIMEOUT });
    console.log('ok: the shared tab audio is sent');
    check(await page.isHidden('#error'), 'no error: ' + await page.textContent('#error'));
    fs.writeFileSync(env.SHARING_FILE, 'sharing');

    await page.click('#share-tab-audio');
    await page.waitForSelector('#share-tab-audio[data-sharing="false"]', { timeout: TIMEOUT });
    const stopped = await sharedFrames(page);
    const microphone = Number(await page.getAttribute('#frames-sent', 'data-count'));
    await page.waitForFunction((before) => Number(document.getElementById('frames-sent').dataset.count) >= before + 5,
      microphone, { timeout: TIMEOUT });
    check(await sharedFrames(page) === stopped, 'no shared frames after stop sharing, the microphone goes on');
    await page.click('#disconnect');
    await state(page, 'idle', 10000);
    console.log('tab-audio-page: passed');
  } finally {
    await browser.close();
  }
})().catch((error) => {
  console.error(error && error.stack ? error.stack : error);
  process.exit(2);
});
