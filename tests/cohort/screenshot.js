// Opens a cohort page (`primer-ls cohort --html`) in headless Chromium and saves a screenshot,
// after checking what a reader must see: the heatmap with one cell per student and outcome,
// each state with its own mark, a bar per section, and the students' note links.
// Usage: node screenshot.js PAGE.html OUT.png STUDENTS OUTCOMES   (exit 0 = pass)
const path = require('path');
const { chromium } = require(process.env.PLAYWRIGHT_CORE || 'playwright-core');

(async () => {
  const [page, out, students, outcomes] = process.argv.slice(2);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-dev-shm-usage'],
  });
  const failures = [];
  try {
    const tab = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const requests = [];
    tab.on('request', (r) => { if (!r.url().startsWith('file:')) requests.push(r.url()); });
    await tab.goto('file://' + path.resolve(page));
    const cells = await tab.locator('#heatmap g.cell').count();
    if (cells !== Number(students) * Number(outcomes)) failures.push(`${cells} heatmap cells`);
    for (const [state, mark] of [['done', '✓'], ['listed', '○']]) {
      const texts = await tab.locator(`#heatmap g.cell[data-state="${state}"] text`).allTextContents();
      if (texts.length === 0 || !texts.every((t) => t === mark)) failures.push(`${state} cells lack ${mark}`);
    }
    if ((await tab.locator('.bars .row').count()) === 0) failures.push('no section bars');
    if ((await tab.locator('.student a').count()) === 0) failures.push('no note links');
    if ((await tab.locator('script').count()) !== 0) failures.push('the page has scripts');
    if (requests.length) failures.push(`network requests: ${requests.join(', ')}`);
    await tab.screenshot({ path: out, fullPage: true });
  } finally {
    await browser.close();
  }
  if (failures.length) {
    console.error('cohort page: FAIL: ' + failures.join('; '));
    process.exit(1);
  }
  console.log(`cohort page: ok (${out})`);
})().catch((e) => { console.error(e); process.exit(1); });
