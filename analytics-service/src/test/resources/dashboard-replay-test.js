// Drives the dashboard's replay panels like a manager: opens the recorded call, replays it through a playbook
// version, reads the side-by-side rows; then replays the last day of the tenant's calls from the list.
// Prints "RESULT <json>" with what it saw; the Java test asserts on it.
const { chromium } = require('playwright-core');

const env = process.env;
const step = name => console.log('step: ' + name);
let browser;
let page;

const rows = selector => page.locator(selector).evaluateAll(trs => trs.map(tr => ({
  utterance: tr.dataset.utterance,
  change: tr.dataset.change,
  llmChange: tr.dataset.llmChange || null,
  marked: ['added', 'removed', 'recategorised'].some(c => tr.classList.contains(c)),
  session: (tr.querySelector('a') || {}).textContent || null,
  cells: [...tr.cells].map(td => td.innerText),
})));

(async () => {
  browser = await chromium.launch({ executablePath: env.CHROMIUM_PATH,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
  page.setDefaultTimeout(Number(env.STEP_TIMEOUT_MS || 120000));
  const consoleErrors = [];
  page.on('pageerror', e => consoleErrors.push(String(e)));

  step('open ' + env.DASHBOARD_URL);
  await page.goto(env.DASHBOARD_URL);
  await page.fill('#api-key', env.API_KEY);
  await page.click('#connect');
  const row = page.locator(`#calls tr[data-session-id="${env.SESSION_ID}"]`);
  await row.waitFor();

  step('open the call and replay it through v' + env.VERSION);
  await row.click();
  await page.locator('#transcript li').first().waitFor();
  await page.locator(`#replay-version option[value="${env.VERSION}"]`).waitFor({ state: 'attached' });
  const versions = await page.locator('#replay-version option').allInnerTexts();
  await page.selectOption('#replay-version', env.VERSION);
  if (env.LLM_MODEL) await page.fill('#replay-model', env.LLM_MODEL);
  await page.click('#replay-run');
  await page.locator('#replay-result').waitFor();
  const call = {
    summary: await page.locator('#replay-summary').innerText(),
    latency: await page.locator('#replay-latency').innerText(),
    head: await page.locator('#replay-head').innerText(),
    llmHeads: await page.locator('#replay-table thead th.llm').allInnerTexts(),
    state: await page.locator('#replay-state').innerText(),
    rows: await rows('#replay-table tbody tr'),
  };
  await page.screenshot({ path: env.SCREENSHOT, fullPage: true });

  if (env.RANGE === 'false') {
    await browser.close();
    console.log('RESULT ' + JSON.stringify({ versions, call, consoleErrors }));
    return;
  }
  step('replay the last day of calls from the list');
  await page.click('#back');
  await row.waitFor({ state: 'visible' });
  await page.locator(`#range-version option[value="${env.VERSION}"]`).waitFor({ state: 'attached' });
  await page.selectOption('#range-version', env.VERSION);
  await page.click('#range-run');
  await page.locator('#range-result').waitFor();
  const range = {
    summary: await page.locator('#range-summary').innerText(),
    state: await page.locator('#range-state').innerText(),
    rows: await rows('#range-table tbody tr[data-utterance]'),
  };
  await browser.close();
  console.log('RESULT ' + JSON.stringify({ versions, call, range, consoleErrors }));
})().catch(async e => {
  // close the browser first: its processes would otherwise hold the output open
  console.error(e);
  try {
    if (page) await page.screenshot({ path: env.SCREENSHOT.replace(/\.png$/, '-failed.png'), fullPage: true });
    if (page) console.error('page text: ' + (await page.locator('body').innerText()).slice(0, 3000));
  } catch (ignored) { /* best effort */ }
  if (browser) await browser.close().catch(() => {});
  process.exit(2);
});
