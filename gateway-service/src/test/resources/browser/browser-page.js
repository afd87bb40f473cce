// Drives the gateway's browser page in headless Chromium with a fake microphone playing espeak-ng speech.
// Environment: PAGE_URL, API_KEY, WRONG_KEY, SPEECH_WAV, SESSION_FILE, SUGGESTION_ID, CARD_TITLE, CARD_MESSAGE,
// BATTLE_TITLE, CITATION_TITLE, CITATION_EXCERPT, STAGE_1, STAGE_2 (sent while the page reconnects), REPLY_TEXT, REPLY_FILE (written once the reply is shown; the test then restarts the connection with
// 1012), SUGGESTION_ID_2 (sent while the page reconnects) (and CHROMIUM_PATH from HeadlessBrowser). Exits non-zero with
// a message at the first failed check.
const { check, launchWithMicrophone, openPage, recordStates, state } = require('./page-kit.js');
const fs = require('fs');

const env = process.env;
const TIMEOUT = 60000;

(async () => {
  const browser = await launchWithMicrophone(env);
  try {
    const page = await openPage(browser, env.PAGE_URL);
    await state(page, 'idle', 10000);
    check(await page.isDisabled('#disconnect'), 'disconnect is disabled while idle');
    await recordStates(page);

    await page.fill('#api-key', env.API_KEY);
    await page.click('#connect');
    await state(page, 'listening');
    const states = await page.evaluate(() => window.states.slice());
    check(states[0] === 'connecting' && states.includes('listening'), 'connecting, then listening: ' + states);
    check(await page.textContent('#status') === 'Listening', 'the status reads Listening');
    // session.created may arrive just after the microphone starts (which is when the page says "listening")
    await page.waitForSelector('#session-id[data-session-id^="sess_"]', { state: 'attached', timeout: 15000 })
        .catch(() => {});
    const sessionId = await page.getAttribute('#session-id', 'data-session-id');
    check(/^sess_/.test(sessionId), 'session id shown: ' + sessionId);
    fs.writeFileSync(env.SESSION_FILE, sessionId);

    await page.waitForFunction(() => Number(document.getElementById('frames-sent').dataset.count) >= 10, null,
      { timeout: TIMEOUT });
    console.log('ok: at least 10 audio frames sent');
    await page.waitForSelector('#speech[data-speaking="true"]', { timeout: TIMEOUT });
    console.log('ok: the gateway reported speech_started for the fake microphone');

    const card = page.locator(`.card[data-suggestion-id="${env.SUGGESTION_ID}"]`);
    await card.waitFor({ timeout: TIMEOUT });
    check(await card.locator('.card-title').textContent() === env.CARD_TITLE, 'card title');
    check(await card.locator('.card-message').textContent() === env.CARD_MESSAGE, 'card message');
    // the suggestion comes without a card; the battle card frame that follows fills it in
    await card.locator('.battle-card').waitFor({ state: 'visible', timeout: TIMEOUT });
    check(await card.locator('.battle-card-title').textContent() === env.BATTLE_TITLE, 'battle card title');
    check(await card.locator('.battle-card-points li').count() === 2, 'battle card talking points');
    check(await page.locator('.card').count() === 1, 'exactly one card');
    const citations = card.locator('.citations .citation');
    check(await citations.count() === 2, 'the card lists the two chunks its suggestion cites');
    check((await citations.first().locator('cite').textContent()).startsWith(env.CITATION_TITLE),
      'the first citation names its document');
    check(await citations.first().locator('q').textContent() === env.CITATION_EXCERPT, 'the first citation quotes it');
    await page.waitForSelector(`#stage[data-stage="${env.STAGE_1}"]`, { timeout: TIMEOUT });
    check(/stage: /.test(await page.textContent('#stage')), 'the stage is shown: ' + await page.textContent('#stage'));
    await page.waitForSelector('#checklist li[data-rule="recording_notice"][data-status="pending"]', { timeout: TIMEOUT });
    check(await page.locator('#checklist li').count() === 2, 'the checklist lists both rules');
    check(await page.getAttribute('#checklist li[data-rule="guarantee"]', 'data-status') === 'kept',
      'the must-not-say rule is kept');

    await page.waitForFunction((text) => document.getElementById('reply').textContent === text, env.REPLY_TEXT,
      { timeout: TIMEOUT });
    console.log('ok: the AI reply text is shown');
    await state(page, 'listening');
    const replyStates = await page.evaluate(() => window.states.slice());
    const speaking = replyStates.indexOf('ai-speaking');
    check(speaking > replyStates.indexOf('listening') && replyStates.lastIndexOf('listening') > speaking,
      'listening -> AI speaking -> listening: ' + replyStates);

    // the gateway restarts the connection (1012): the page resumes the same session by itself
    fs.writeFileSync(env.REPLY_FILE, 'shown');
    await state(page, 'reconnecting');
    await page.waitForSelector('#status[data-reconnects="1"]', { timeout: TIMEOUT });
    await state(page, 'listening');
    check(await page.getAttribute('#session-id', 'data-session-id') === sessionId, 'the same session after reconnect');
    const second = page.locator(`.card[data-suggestion-id="${env.SUGGESTION_ID_2}"]`);
    await second.waitFor({ timeout: TIMEOUT });
    check(await page.locator('.card').count() === 2, 'exactly two cards: the one sent while away, none twice');
    check(await page.getAttribute('#stage', 'data-stage') === env.STAGE_2, 'the stage change sent while away is shown');
    check(await page.getAttribute('#checklist li[data-rule="recording_notice"]', 'data-status') === 'said',
      'the must-say item ticked while away is shown ticked');
    check(await page.locator('#checklist li').count() === 2, 'the checklist is shown once');
    check(await page.locator('.card .citation').count() === 2, 'the citations are shown once');
    check(await card.locator('.battle-card-points li').count() === 2, 'the first battle card is shown once');
    check(await page.textContent('#reply') === env.REPLY_TEXT, 'the AI reply is not repeated');
    const framesAfterReconnect = Number(await page.getAttribute('#frames-sent', 'data-count'));
    await page.waitForFunction((before) => Number(document.getElementById('frames-sent').dataset.count) > before,
      framesAfterReconnect, { timeout: TIMEOUT });
    console.log('ok: audio frames flow again after the reconnect');
    const reconnectStates = await page.evaluate(() => window.states.slice());
    check(reconnectStates.lastIndexOf('reconnecting') > speaking, 'listening -> reconnecting -> listening: '
      + reconnectStates);

    await page.click('#disconnect');
    await state(page, 'idle', 10000);
    check(await page.isEnabled('#connect'), 'connect is enabled again');
    const framesAtDisconnect = Number(await page.getAttribute('#frames-sent', 'data-count'));
    await page.waitForTimeout(500);
    check(Number(await page.getAttribute('#frames-sent', 'data-count')) === framesAtDisconnect,
      'no frames are sent after disconnect');

    await page.fill('#api-key', env.WRONG_KEY);
    await page.click('#connect');
    await state(page, 'error', 30000);
    const error = await page.textContent('#error');
    check(await page.isVisible('#error') && /refused/i.test(error), 'a wrong key shows an error: ' + error);
    check(await page.isEnabled('#connect'), 'connect is enabled after an error');
    console.log('browser-page: passed');
  } finally {
    await browser.close();
  }
})().catch((error) => {
  console.error(error && error.stack ? error.stack : error);
  process.exit(2);
});
