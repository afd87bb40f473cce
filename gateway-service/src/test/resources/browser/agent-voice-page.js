// The browser page in agent mode plays the voice agent's speech and stops when the user talks over it.
// Environment: PAGE_URL (with ?mode=agent), API_KEY, SPEECH_WAV (the fake microphone: silence, then speech, looped),
// SESSION_FILE (written once the page listens; the test then sends the agent's speech), CHUNKS (how many the test
// sends), CHROMIUM_PATH. Exits non-zero with a message at the first failed check.
const { check, launchWithMicrophone, openPage } = require('./page-kit.js');
const fs = require('fs');

const env = process.env;
const TIMEOUT = 60000;

(async () => {
  const browser = await launchWithMicrophone(env);
  try {
    const page = await openPage(browser, env.PAGE_URL);
    await page.waitForSelector('#status[data-state="idle"]', { timeout: 10000 });
    check(await page.isHidden('#agent-voice'), 'no AI voice before the call');
    await page.fill('#api-key', env.API_KEY);
    await page.click('#connect');
    await page.waitForSelector('#status[data-state="listening"]', { timeout: TIMEOUT });
    await page.waitForSelector('#session-id[data-session-id^="sess_"]', { state: 'attached', timeout: 15000 });
    fs.writeFileSync(env.SESSION_FILE, await page.getAttribute('#session-id', 'data-session-id'));

    await page.waitForSelector('#agent-voice[data-playing="true"]', { state: 'attached', timeout: TIMEOUT });
    const started = Date.now();
    check(await page.getAttribute('#status', 'data-state') === 'ai-speaking', 'AI speaking while the voice plays');
    check((await page.textContent('#agent-voice')) === 'AI speaking', 'the voice shows AI speaking');
    const chunks = await page.evaluate(() => Number(document.getElementById('agent-voice').dataset.chunks));
    check(chunks >= 1, 'chunks scheduled on the AudioContext: ' + chunks);

    // the fake microphone starts talking a few seconds in: server VAD cuts the item, the page stops playing
    await page.waitForSelector('#agent-voice[data-cut="true"]', { state: 'attached', timeout: TIMEOUT });
    const cutAfterMs = Date.now() - started;
    check(await page.getAttribute('#agent-voice', 'data-playing') === 'false', 'nothing plays after the barge-in');
    check(cutAfterMs < Number(env.CHUNKS) * 200, 'cut before the speech would have ended: ' + cutAfterMs + ' ms');
    await page.waitForSelector('#status[data-state="listening"]', { timeout: 10000 });
    check(await page.isHidden('#agent-voice'), 'AI speaking no longer shown');
    const played = Number(await page.getAttribute('#agent-voice', 'data-played-ms'));
    const scheduled = Number(await page.getAttribute('#agent-voice', 'data-scheduled-ms'));
    check(played >= 0 && played < scheduled - 1000,
      'the rest of the item was not played: ' + played + ' of ' + scheduled + ' ms');
    console.log('agent-voice-page: passed');
  } finally {
    await browser.close();
  }
})().catch((error) => {
  console.log('agent-voice-page: failed: ' + error.message);
  process.exit(1);
});
