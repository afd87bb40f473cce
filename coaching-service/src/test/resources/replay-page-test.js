// Drives the replay page like a manager checking a playbook change: key, session, version, replay.
// Prints "RESULT <json>" with what it saw; the Java test asserts on it.
const { chromium } = require('playwright-core');

const env = process.env;
let browser;

(async () => {
  browser = await chromium.launch({ executablePath: env.CHROMIUM_PATH,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(Number(env.STEP_TIMEOUT_MS || 60000));
  const consoleErrors = [];
  page.on('pageerror', e => consoleErrors.push(String(e)));

  await page.goto(env.REPLAY_URL);
  await page.fill('#api-key', env.API_KEY);
  await page.click('#connect');
  await page.locator(`#version option[value="${env.VERSION}"]`).waitFor({ state: 'attached' });
  const versions = await page.locator('#version option').evaluateAll(os => os.map(o => o.textContent));
  await page.fill('#session-id', env.SESSION_ID);
  await page.selectOption('#version', env.VERSION);
  if (env.LLM_MODEL) await page.fill('#llm-model', env.LLM_MODEL);
  await page.click('#run');
  await page.locator('#result:not([hidden])').waitFor();
  const rowsOf = table => page.locator(`${table} tbody tr`).evaluateAll(trs => trs.map(tr => ({
    change: tr.className,
    utterance: tr.dataset.utterance,
    cells: [...tr.querySelectorAll('td')].map(td => td.textContent),
  })));
  const result = {
    versions,
    summary: await page.locator('#summary').innerText(),
    counts: await page.locator('#counts').innerText(),
    replayedHead: await page.locator('#replayed-head').innerText(),
    rows: await rowsOf('#changes'),
    llmShown: await page.locator('#llm-result').isVisible(),
    consoleErrors,
  };
  if (env.LLM_MODEL) {
    await page.locator('#llm-result:not([hidden])').waitFor();
    result.llmSummary = await page.locator('#llm-summary').innerText();
    result.llmCounts = await page.locator('#llm-counts').innerText();
    result.llmRows = await rowsOf('#llm-changes');
  }
  console.log('RESULT ' + JSON.stringify(result));
  await browser.close();
})().catch(async e => {
  console.error(e);
  if (browser) {
    await browser.close();
  }
  process.exit(1);
});
