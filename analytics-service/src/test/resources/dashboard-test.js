// Drives the dashboard like a manager: enters the key, finds the seeded call, opens it, comes back.
// Prints "RESULT <json>" with what it saw; the Java test asserts on it.
const { chromium } = require('playwright-core');

const env = process.env;
const step = name => console.log('step: ' + name);
let browser;
let page;

(async () => {
  browser = await chromium.launch({ executablePath: env.CHROMIUM_PATH,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  page = await browser.newPage({ viewport: { width: 1280, height: 1100 } });
  page.setDefaultTimeout(Number(env.STEP_TIMEOUT_MS || 60000));
  const consoleErrors = [];
  page.on('pageerror', e => consoleErrors.push(String(e)));
  const count = selector => page.locator(selector).count();

  step('open ' + env.DASHBOARD_URL);
  await page.goto(env.DASHBOARD_URL);
  await page.fill('#api-key', env.API_KEY);
  await page.click('#connect');
  step('find the seeded call');
  const row = page.locator(`#calls tr[data-session-id="${env.SESSION_ID}"]`);
  await row.waitFor();
  await page.locator('#trend-chart rect.bar').first().waitFor();
  await page.locator('#latency-chart rect.bar').first().waitFor();
  await page.locator(`#live-calls li[data-live-session="${env.LIVE_SESSION_ID}"] .live-compliance`).waitFor();
  const list = {
    rows: await count('#calls tbody tr[data-session-id]'),
    trendBars: await count('#trend-chart rect.bar'),
    trendSessions: await page.locator('#trend-chart rect.bar').evaluateAll(bars => bars.map(b => Number(b.dataset.value))),
    latencyBars: await count('#latency-chart rect.bar'),
    liveText: await page.locator(`#live-calls li[data-live-session="${env.LIVE_SESSION_ID}"]`).innerText(),
    rowText: await row.innerText(),
    speechSummary: await page.locator('#speech-summary').innerText(),
  };

  step('open the call');
  await row.click();
  await page.locator('#timeline .lane-agent rect.utterance').first().waitFor();
  await page.locator('#timeline .prompt-marker').first().waitFor();
  const call = {
    hash: await page.evaluate(() => location.hash),
    agentUtterances: await count('#timeline .lane-agent rect.utterance'),
    customerUtterances: await count('#timeline .lane-customer rect.utterance'),
    prompts: await page.locator('#timeline .prompt-marker').evaluateAll(ps => ps.map(p => p.dataset.suggestion)),
    stages: await page.locator('#timeline rect.stage-band').evaluateAll(rs => rs.map(r => r.dataset.stage)),
    talkMs: await page.locator('#talk-chart rect').evaluateAll(rs => rs.map(r => Number(r.dataset.ms))),
    callLatencyBars: await count('#call-latency rect.bar'),
    transcript: await count('#transcript li'),
    promptItems: await page.locator('#prompts > li[data-suggestion]').evaluateAll(ps => ps.map(p => p.dataset.suggestion)),
    citations: await page.locator('#prompts .citation').evaluateAll(cs => cs.map(c => c.dataset.documentId)),
    promptsText: await page.locator('#prompts').innerText(),
    compliance: await page.locator('#compliance li[data-rule]').evaluateAll(ls => ls.map(l => l.dataset.rule + ':' + l.dataset.status)),
    complianceState: await page.locator('#compliance-state').innerText(),
    facts: await page.locator('#call-facts').innerText(),
  };
  await page.screenshot({ path: env.SCREENSHOT, fullPage: true });

  step('back to the list');
  await page.click('#back');
  await row.waitFor({ state: 'visible' });
  const back = { listVisible: await page.locator('#calls-view').isVisible(), callHidden: await page.locator('#call-view').isHidden() };
  await browser.close();
  console.log('RESULT ' + JSON.stringify({ list, call, back, consoleErrors }));
})().catch(async e => {
  // close the browser first: its processes would otherwise hold the output open
  console.error(e);
  try {
    if (page) await page.screenshot({ path: env.SCREENSHOT.replace(/\.png$/, '-failed.png'), fullPage: true });
    if (page) console.error('page text: ' + (await page.locator('body').innerText()).slice(0, 2000));
  } catch (ignored) { /* best effort */ }
  if (browser) await browser.close().catch(() => {});
  process.exit(2);
});
