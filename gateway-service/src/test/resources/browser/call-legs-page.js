// Two pages of one call in headless Chromium, both with the fake microphone: the rep's page (coach mode, the microphone
// as the `agent` track) and the customer leg opened from the rep's "copy customer-leg link" (`?call=<id>&track=customer`).
// Then the network goes down under both (the test stops the TCP proxy the pages are loaded through, which ends their
// connections without a close frame, sends two cards, and starts the proxy again): both reconnect with back-off and
// resume their sessions, the cards sent while they were away are shown once, the earlier ones not again.
// Environment: PAGE_URL (through the proxy), API_KEY, SPEECH_WAV, REP_SESSION_FILE, CUSTOMER_SESSION_FILE (each written
// once that page is listening), OBJECTION_ID (a suggestion of the customer leg), NUDGE_ID (a talk-time nudge of the rep's
// session), CARDS_FILE (written once both are shown; the test then takes the network down), AWAY_IDS (comma-separated,
// sent while the pages are away) (and CHROMIUM_PATH from HeadlessBrowser). Exits non-zero at the first failed check.
const { check, launchWithMicrophone, openPage, recordStates, state } = require('./page-kit.js');
const fs = require('fs');

const env = process.env;
const TIMEOUT = 60000;

// connects the page with the API key; its session id once it is listening and sending audio
async function connect(page, who) {
  await recordStates(page);
  await page.fill('#api-key', env.API_KEY);
  await page.click('#connect');
  await state(page, 'listening');
  await page.waitForSelector('#session-id[data-session-id^="sess_"]', { state: 'attached', timeout: TIMEOUT });
  const sessionId = await page.getAttribute('#session-id', 'data-session-id');
  await page.waitForFunction(() => Number(document.getElementById('frames-sent').dataset.count) >= 10, null,
    { timeout: TIMEOUT });
  console.log(`ok: the ${who} page is listening and sending audio in ${sessionId}`);
  return sessionId;
}

async function resumed(page, who, sessionId) {
  await page.waitForSelector('#status[data-reconnects="1"]', { timeout: TIMEOUT });
  await state(page, 'listening');
  const states = await page.evaluate(() => window.states.slice());
  check(states.lastIndexOf('reconnecting') > states.indexOf('listening'),
    `the ${who} page showed reconnecting after the drop: ${states}`);
  check(await page.getAttribute('#session-id', 'data-session-id') === sessionId, `the ${who} page resumed its session`);
  const frames = Number(await page.getAttribute('#frames-sent', 'data-count'));
  await page.waitForFunction((before) => Number(document.getElementById('frames-sent').dataset.count) > before,
    frames, { timeout: TIMEOUT });
  console.log(`ok: the ${who} page sends audio again`);
}

async function cardIds(page) {
  return page.$$eval('#cards .card', (cards) => cards.map((card) => card.dataset.suggestionId));
}

(async () => {
  const browser = await launchWithMicrophone(env);
  try {
    // a page asked for a track that does not exist, or for the customer leg without a call, says so and cannot connect
    const wrong = await openPage(browser, env.PAGE_URL + '?track=caller');
    await wrong.waitForSelector('#error:not([hidden])', { timeout: 10000 });
    check(/unknown track/.test(await wrong.textContent('#error')) && await wrong.isDisabled('#connect'),
      'an unknown track is refused: ' + await wrong.textContent('#error'));
    await wrong.goto(env.PAGE_URL + '?track=customer');
    await wrong.waitForSelector('#error:not([hidden])', { timeout: 10000 });
    check(/needs the rep's call/.test(await wrong.textContent('#error')) && await wrong.isDisabled('#connect'),
      'the customer leg without a call is refused: ' + await wrong.textContent('#error'));
    await wrong.close();

    const rep = await openPage(browser, env.PAGE_URL);
    await state(rep, 'idle', 10000);
    check(await rep.getAttribute('#leg', 'data-track') === 'agent', 'the rep page captures the microphone as agent');
    const repSession = await connect(rep, 'rep');
    fs.writeFileSync(env.REP_SESSION_FILE, repSession);

    // the rep's own call (its session id, no ?call given) and the link that opens its customer leg
    await rep.waitForSelector('#customer-leg', { state: 'visible', timeout: TIMEOUT });
    check(await rep.getAttribute('#leg', 'data-call-id') === repSession, 'the rep page is in its own call');
    const link = await rep.inputValue('#customer-link');
    const expected = new URL(env.PAGE_URL).origin + '/?call=' + encodeURIComponent(repSession) + '&track=customer';
    check(link === expected, 'the customer-leg link names the call and the customer track: ' + link);
    await rep.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await rep.click('#copy-customer-link');
    await rep.waitForSelector('#copy-customer-link[data-copied="true"]', { timeout: 10000 });
    check(await rep.evaluate(() => navigator.clipboard.readText()) === link, 'the link is on the clipboard');

    const customer = await openPage(browser, link);
    await state(customer, 'idle', 10000);
    check(await customer.getAttribute('#leg', 'data-track') === 'customer',
      'the customer page captures the microphone as customer');
    check(await customer.isHidden('#customer-leg'), 'the customer page offers no customer-leg link');
    check(await customer.isHidden('#share-tab-audio'), 'nor tab audio sharing');
    const customerSession = await connect(customer, 'customer');
    fs.writeFileSync(env.CUSTOMER_SESSION_FILE, customerSession);
    check(customerSession !== repSession, 'the customer leg is a session of its own');
    check(await customer.getAttribute('#leg', 'data-call-id') === repSession, 'the customer leg is in the rep\'s call');

    // the customer leg's objection and the rep's own talk-time nudge both reach the rep, not the customer
    await rep.locator(`.card[data-suggestion-id="${env.OBJECTION_ID}"]`).waitFor({ timeout: TIMEOUT });
    const nudge = rep.locator(`.card[data-suggestion-id="${env.NUDGE_ID}"]`);
    await nudge.waitFor({ timeout: TIMEOUT });
    check(await nudge.getAttribute('data-kind') === 'nudge' && await nudge.getAttribute('data-category') === 'talk_ratio',
      'the talk-time nudge is shown as a nudge card');
    check((await cardIds(rep)).length === 2, 'the rep page shows two cards');
    check((await cardIds(customer)).length === 0, 'the customer page shows no coaching');

    // the network goes down under both pages; cards are sent while they are away
    fs.writeFileSync(env.CARDS_FILE, 'shown');
    await resumed(rep, 'rep', repSession);
    await resumed(customer, 'customer', customerSession);
    const away = env.AWAY_IDS.split(',');
    for (const id of away) {
      await rep.locator(`.card[data-suggestion-id="${id}"]`).waitFor({ timeout: TIMEOUT });
    }
    const ids = await cardIds(rep);
    check(ids.length === 4 && new Set(ids).size === 4, 'each card once, none lost: ' + ids);
    check([env.OBJECTION_ID, env.NUDGE_ID, ...away].every((id) => ids.includes(id)), 'the four cards: ' + ids);
    check((await cardIds(customer)).length === 0, 'the customer page still shows no coaching');
    console.log('call-legs-page: passed');
  } finally {
    await browser.close();
  }
})().catch((error) => {
  console.error(error && error.stack ? error.stack : error);
  process.exit(2);
});
