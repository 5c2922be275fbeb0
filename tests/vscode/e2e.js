// Drives a running code-server (a real VS Code workbench) with headless Chromium and checks the
// Primer extension as a student would use it: hover a term and follow its link, open a section,
// look at the outcome progress, insert a checklist from the code action, tick an item, restart,
// point the extension at a wrong binary. Nothing is typed or saved to make a view catch up: the
// server's notifications must. Run by tests/vscode/run.sh, which installs the tools, packages
// and installs the extension and starts code-server.
//
// Env: URL (code-server), WS (the workspace folder), COHORT (a class folder outside it), ARTIFACTS (screenshots), RUN_DIR,
//      CHROMIUM, PLAYWRIGHT (path of playwright-core), OUTCOMES_SUPPORTED (1 when the server
//      has learning outcomes), OUTCOMES_HTML (the page `primer-ls outcomes --html` wrote).
// Prints PASS/FAIL per check and "vscode: N passed, M failed"; exits 1 when a
// check failed.
'use strict';

const fs = require('fs');
const path = require('path');

const env = name => {
  const v = process.env[name];
  if (v === undefined) throw new Error(`${name} is not set`);
  return v;
};
const URL = env('URL');
const WS = env('WS');
const COHORT = env('COHORT');
const ARTIFACTS = env('ARTIFACTS');
const RUN_DIR = env('RUN_DIR');
const OUTCOMES_SUPPORTED = process.env.OUTCOMES_SUPPORTED === '1';
const OUTCOMES_HTML = process.env.OUTCOMES_HTML || '';
const { chromium } = require(env('PLAYWRIGHT'));

const t0 = Date.now();
const log = (...a) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);
const sleep = ms => new Promise(r => setTimeout(r, ms));

const counts = { passed: 0, failed: 0 };

let page;

/** Runs one check with a time limit; a failure is reported with a screenshot and the run goes on. */
async function check(name, fn, ms = 90000) {
  const started = Date.now();
  let timer;
  try {
    const limit = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms / 1000}s`)), ms);
    });
    const detail = await Promise.race([fn(), limit]);
    counts.passed++;
    console.log(`PASS: ${name}${detail ? ` - ${detail}` : ''} (${((Date.now() - started) / 1000).toFixed(1)}s)`);
    return true;
  } catch (err) {
    counts.failed++;
    console.log(`FAIL: ${name} - ${String(err && err.message ? err.message : err).split('\n')[0]}`);
    const shot = path.join(ARTIFACTS, `vscode-failure-${counts.failed}.png`);
    if (page) {
      await page.screenshot({ path: shot }).catch(() => {});
      console.log(`      screenshot: ${shot}`);
    }
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `fn` until it returns a truthy value; throws `what` on timeout. */
async function until(what, fn, ms = 30000, every = 250) {
  const end = Date.now() + ms;
  let last;
  while (Date.now() < end) {
    try {
      last = await fn();
      if (last) return last;
    } catch (err) {
      last = err;
    }
    await sleep(every);
  }
  throw new Error(`timed out waiting for ${what}${last instanceof Error ? ` (${last.message.split('\n')[0]})` : ''}`);
}

async function waitHttp(url, ms) {
  await until(`code-server at ${url}`, async () => (await fetch(url)).ok, ms, 250);
}

// --- workbench helpers -----------------------------------------------------------------------

const QUICK_INPUT = '.quick-input-widget';

/** Focuses the workbench (keyboard shortcuts go nowhere before a click). */
async function focusWorkbench() {
  await page.locator('.monaco-workbench .part.editor').click({ position: { x: 400, y: 300 } }).catch(() => {});
}

/** Runs a command from the command palette by its full title ("Primer: Open Section…"). */
async function runCommand(title) {
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  const input = page.locator(`${QUICK_INPUT} input`);
  await input.waitFor({ state: 'visible', timeout: 10000 });
  await input.fill(`>${title}`);
  const row = page.locator(`${QUICK_INPUT} .monaco-list-row`, { hasText: title }).first();
  await row.waitFor({ state: 'visible', timeout: 10000 });
  await row.click();
}

/** Opens a workspace file with Quick Open and waits for its tab. */
async function openFile(name) {
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+P');
  const input = page.locator(`${QUICK_INPUT} input`);
  await input.waitFor({ state: 'visible', timeout: 10000 });
  await input.fill(name);
  // Enter opens the first row: wait until filtering has put the file there (before it does, the
  // list still shows recently opened files).
  const first = page.locator(`${QUICK_INPUT} .monaco-list-row`).first();
  await until(`${name} first in Quick Open`, async () => (await first.isVisible()) && (await first.innerText()).includes(name), 15000);
  await page.keyboard.press('Enter');
  await until(`the ${name} tab`, async () => (await activeTab()) === name, 15000);
}

/** The file name of the active editor tab. */
async function activeTab() {
  const tab = page.locator('.tabs-container .tab.active').first();
  return (await tab.count()) ? (await tab.getAttribute('data-resource-name')) || (await tab.getAttribute('aria-label')) || '' : '';
}

/** The text of the status bar item of the extension ("Outcomes 5/12"), or ''. */
async function statusItem() {
  const item = page.locator('.statusbar-item', { hasText: /Outcomes/ }).first();
  return (await item.count()) ? (await item.innerText()).replace(/\s+/g, ' ').trim() : '';
}

/** Texts of the notification toasts on screen. */
async function toasts() {
  return page.locator('.notifications-toasts .notification-list-item-message').allInnerTexts();
}

async function clearToasts() {
  await runCommand('Notifications: Clear All Notifications').catch(() => {});
  await page.keyboard.press('Escape');
}

/** The screen rectangle of the first occurrence of `word` in the visible editor text. */
async function wordRect(word) {
  return page.evaluate(w => {
    const editors = [...document.querySelectorAll('.editor-instance .monaco-editor .view-lines')];
    const lines = editors.find(e => e.offsetParent !== null);
    if (!lines) return null;
    const walk = document.createTreeWalker(lines, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      // Monaco shows spaces as no-break spaces; a word never contains one, so indexOf works.
      const i = n.data.indexOf(w);
      if (i >= 0) {
        const range = document.createRange();
        range.setStart(n, i);
        range.setEnd(n, i + w.length);
        const b = range.getBoundingClientRect();
        return { x: b.x + b.width / 2, y: b.y + b.height / 2, width: b.width, height: b.height };
      }
    }
    return null;
  }, word);
}

/** The text of the editor line the cursor is on (found by screen position, not by counting). */
async function cursorLineText() {
  return page.evaluate(() => {
    const editor = [...document.querySelectorAll('.editor-instance .monaco-editor')].find(e => e.offsetParent !== null);
    const cursor = editor && editor.querySelector('.cursors-layer .cursor');
    if (!cursor) return null;
    const c = cursor.getBoundingClientRect();
    const y = c.y + c.height / 2;
    for (const line of editor.querySelectorAll('.view-lines .view-line')) {
      const r = line.getBoundingClientRect();
      if (y >= r.top && y < r.bottom) return line.textContent.replace(/\u00a0/g, ' ');
    }
    return null;
  });
}

/** Whether the keyboard focus is in the visible text editor (and no quick input is open). */
async function editorFocused() {
  return page.evaluate(() => {
    const el = document.activeElement;
    const quick = document.querySelector('.quick-input-widget');
    const quickOpen = quick && quick.style.display !== 'none' && quick.offsetParent !== null;
    return !!el && !!el.closest('.editor-instance .monaco-editor') && !quickOpen;
  });
}

/** The visible text of the editor's lines. */
async function editorText() {
  return page.evaluate(() => {
    const editor = [...document.querySelectorAll('.editor-instance .monaco-editor')].find(e => e.offsetParent !== null);
    if (!editor) return '';
    return [...editor.querySelectorAll('.view-lines .view-line')]
      .sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top)
      .map(l => l.textContent.replace(/\u00a0/g, ' '))
      .join('\n');
  });
}

/** The text of the Learning Outcomes view (its rows and its message), or '' when it is not shown. */
async function outcomesViewText() {
  const sidebar = page.locator('.part.sidebar').first();
  if (!(await sidebar.count()) || !(await sidebar.isVisible())) return '';
  const title = await sidebar.locator('.composite.title').first().innerText().catch(() => '');
  if (!/primer|learning outcomes/i.test(title)) return '';
  return (await sidebar.innerText()).replace(/\s+/g, ' ').trim();
}

/** Shows the Explorer, so that a later check can see the outcomes view take its place. */
async function showExplorer() {
  await runCommand('View: Show Explorer');
  await until('the Explorer', async () => /explorer/i.test(await page.locator('.part.sidebar .composite.title').first().innerText()), 5000);
}

// --- the scenarios ---------------------------------------------------------------------------

async function main() {
  for (const f of fs.readdirSync(ARTIFACTS)) {
    if (/^vscode-.*\.png$/.test(f) || f === 'outcomes-html.png') fs.rmSync(path.join(ARTIFACTS, f));
  }
  await waitHttp(`${URL}/healthz`, 60000);
  log('code-server is up');

  const context = await chromium.launchPersistentContext(path.join(RUN_DIR, 'chromium'), {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1400, height: 850 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-dev-shm-usage'],
  });
  try {
    page = context.pages()[0] || (await context.newPage());
    page.on('pageerror', e => log('page error:', e.message.slice(0, 200)));
    await scenarios(context);
  } finally {
    await context.close().catch(() => {});
  }
}

async function scenarios(context) {
  const workbench = await check('the workbench loads with the fixture folder', async () => {
    await page.goto(`${URL}/?folder=${encodeURIComponent(WS)}`);
    await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
    await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 60000 });
    await focusWorkbench();
    return 'explorer shows the notes';
  });
  if (!workbench) return;

  const started = await check('opening a note starts primer-ls (status bar item appears)', async () => {
    await openFile('week1.md');
    const text = await until('the Outcomes status bar item', statusItem, 60000);
    return JSON.stringify(text);
  });

  await check('hover over "idempotent" shows the glossary definition', async () => {
    const word = 'idempotent';
    const rect = await until(`"${word}" on screen`, () => wordRect(word), 10000);
    let text = '';
    // The first hovers may come back empty while the server indexes the workspace: retry.
    for (let attempt = 1; attempt <= 20; attempt++) {
      await page.mouse.move(rect.x, rect.y + 200);
      await sleep(150);
      await page.mouse.move(rect.x, rect.y, { steps: 4 });
      try {
        const hover = page.locator('.monaco-hover:not(.hidden) .monaco-hover-content').first();
        await hover.waitFor({ state: 'visible', timeout: 3000 });
        await sleep(300);
        text = (await page.locator('.monaco-hover:not(.hidden)').allInnerTexts()).join('\n');
      } catch {
        text = '';
      }
      if (text.includes('carrying it out several times')) break;
      log(`hover attempt ${attempt}: ${JSON.stringify(text.slice(0, 100))}`);
    }
    await page.screenshot({ path: path.join(ARTIFACTS, 'vscode-hover.png') });
    if (!text.includes('Idempotency')) throw new Error(`hover has no "Idempotency": ${JSON.stringify(text.slice(0, 300))}`);
    if (!text.includes('carrying it out several times has the same effect')) {
      throw new Error(`hover lacks the definition: ${JSON.stringify(text.slice(0, 300))}`);
    }
    return JSON.stringify(text.replace(/\s+/g, ' ').slice(0, 90));
  });

  // With the hover above still open.
  await check('the "Taught in" link of the hover opens the primer at that heading', async () => {
    // The link to the heading ("1. Reliable RPCs › Idempotency"); VS Code may have rewritten its
    // file: URI for the remote window, so it is found by its text.
    const links = page.locator('.monaco-hover:not(.hidden) a', { hasText: '›' });
    if ((await links.count()) === 0) {
      const text = (await page.locator('.monaco-hover:not(.hidden)').allInnerTexts()).join(' ');
      throw new Error(`the hover has no file link: ${JSON.stringify((text.match(/Taught in[^\n]*/) || ['?'])[0].slice(0, 100))}`);
    }
    const link = links.last();
    const label = (await link.innerText()).trim();
    const href = await link.getAttribute('data-href');
    await link.click();
    await until('reliable-rpcs.md to open', async () => (await activeTab()) === 'reliable-rpcs.md', 15000);
    const line = await until('the cursor on the Idempotency heading', async () => {
      const t = await cursorLineText();
      return t && /^#+ Idempotency/.test(t) ? t : null;
    }, 10000);
    await page.screenshot({ path: path.join(ARTIFACTS, 'vscode-hover-link.png') });
    return `${JSON.stringify(label)} (${href.replace(/^.*\//, '')}) -> ${JSON.stringify(line)}`;
  });
  await page.mouse.move(5, 5);
  await page.keyboard.press('Escape');

  await check('"Primer: Open Section…" lists sections and opens the chosen heading', async () => {
    await runCommand('Primer: Open Section…');
    const input = page.locator(`${QUICK_INPUT} input`);
    await until('section entries', async () => page.locator(`${QUICK_INPUT} .monaco-list-row`, { hasText: 'Reliable RPCs' }).count(), 20000);
    await input.fill('Caching');
    // The heading "Caching" of section "2. State" (not "Cache Invalidation" or other matches).
    const row = await until('the "Caching" entry', async () => {
      const rows = page.locator(`${QUICK_INPUT} .monaco-list-row`);
      for (let i = 0; i < (await rows.count()); i++) {
        const r = rows.nth(i);
        const label = (await r.locator('.label-name').first().innerText()).trim();
        const description = await r.locator('.label-description').first().innerText().catch(() => '');
        if (label === 'Caching' && description.includes('State')) return r;
      }
      return null;
    }, 10000);
    await row.click();
    await until('state.md to open', async () => (await activeTab()) === 'state.md', 15000);
    const line = await until('the cursor on the Caching heading', async () => {
      const t = await cursorLineText();
      return t && /Caching/.test(t) ? t : null;
    }, 10000);
    await sleep(300);
    await page.screenshot({ path: path.join(ARTIFACTS, 'vscode-open-section.png') });
    return `tab state.md, cursor on ${JSON.stringify(line.trim())}`;
  });

  await check('the status bar shows the outcome progress once the workspace is indexed', async () => {
    if (!started) throw new Error('the server did not start');
    if (!OUTCOMES_SUPPORTED) {
      const text = await until('status bar text "Outcomes —"', async () => ((await statusItem()) === 'Outcomes —' ? 'Outcomes —' : null), 30000);
      return JSON.stringify(text);
    }
    // week1.md (open) ticks one outcome and week3.md (never opened) another: the second counts
    // only once the server has indexed the workspace, and nothing is typed to make the
    // extension ask again; the server's primer/outcomesChanged must bring the number.
    const text = await until('"Outcomes 2/N" in the status bar', async () => {
      const t = await statusItem();
      return /^Outcomes 2\/\d+$/.test(t) ? t : null;
    }, 30000);
    return JSON.stringify(text);
  });

  await check('clicking the status bar item opens the Learning Outcomes view', async () => {
    await clearToasts();
    await showExplorer();
    await page.locator('.statusbar-item', { hasText: /Outcomes/ }).first().click();
    if (OUTCOMES_SUPPORTED) {
      const text = await until('outcome rows in the view', async () => {
        const t = await outcomesViewText();
        return /Reliable RPCs\s*1\/\d+/.test(t) ? t : null;
      }, 20000);
      return JSON.stringify(text.slice(0, 120));
    }
    const msg = await until('the "not supported" notification', async () =>
      (await toasts()).find(t => t.includes('does not support learning outcomes')), 20000);
    const view = await until('the view message', async () => {
      const t = await outcomesViewText();
      return t.includes('does not support learning outcomes') ? t : null;
    }, 10000);
    return `notification and view say: ${JSON.stringify(msg.slice(0, 90))}; view: ${view.length} chars`;
  });

  await check('"Primer: Show Learning Outcomes" shows ticks and per-section progress, nothing cut off', async () => {
    await clearToasts();
    await showExplorer();
    await runCommand('Primer: Show Learning Outcomes');
    let detail;
    if (OUTCOMES_SUPPORTED) {
      const text = await until('the ticked outcome in the view', async () => {
        const t = await outcomesViewText();
        return t.includes('✓ reliable-rpcs.1') ? t : null;
      }, 20000);
      if (!/State\s*0\/\d+/.test(text)) throw new Error(`no "State 0/N" row: ${text.slice(0, 300)}`);
      if (!/Scaling Stateless\S*\s*1\/\d+/.test(text)) throw new Error(`no "3. Scaling… 1/N" row (week3.md): ${text.slice(0, 300)}`);
      // At the default sidebar width, the view's title and every section's label and count fit.
      const cut = await page.evaluate(() => {
        const sidebar = document.querySelector('.part.sidebar');
        const out = [];
        const overflows = el => el && el.scrollWidth > el.clientWidth + 1;
        const title = sidebar.querySelector('.composite.title .title-label h2, .composite.title .title-label');
        if (overflows(title)) out.push(`title "${title.textContent}"`);
        for (const row of sidebar.querySelectorAll('.monaco-list-row[aria-level="1"]')) {
          const label = row.querySelector('.monaco-icon-label-container');
          if (overflows(label)) out.push(`row "${row.textContent}"`);
        }
        return { cut: out, width: sidebar.getBoundingClientRect().width };
      });
      if (cut.cut.length) throw new Error(`cut off at ${cut.width}px: ${cut.cut.join('; ')}`);
      detail = `${JSON.stringify(text.slice(0, 120))}; nothing cut off at ${cut.width}px`;
    } else {
      const msg = await until('the "not supported" notification', async () =>
        (await toasts()).find(t => t.includes('does not support learning outcomes')), 20000);
      detail = `says ${JSON.stringify(msg.slice(0, 100))}`;
    }
    await sleep(300);
    await page.screenshot({ path: path.join(ARTIFACTS, 'vscode-outcomes.png') });
    return detail;
  });

  const CHECKLIST_QUESTION = 'Insert the learning outcomes of which section?';
  /** The rows of the quick pick the server's checklist question opens. */
  async function checklistChoices() {
    return until('the checklist question as a quick pick', async () => {
      const title = await page.locator(`${QUICK_INPUT} .quick-input-title`).first().innerText().catch(() => '');
      if (!title.includes(CHECKLIST_QUESTION)) return null;
      const rows = await page.locator(`${QUICK_INPUT} .monaco-list-row`).allInnerTexts();
      return rows.length ? rows.map(r => r.replace(/\s+/g, ' ').trim()) : null;
    }, 20000);
  }

  if (OUTCOMES_SUPPORTED) {
    await check('the checklist code action is one entry, and asks for the section in a quick pick', async () => {
      await clearToasts();
      await openFile('week2.md');
      await focusWorkbench();
      await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
      await page.keyboard.press('Control+End');
      await page.keyboard.press('Enter');
      await page.keyboard.press('Control+.');
      const actions = page.locator('.action-widget .monaco-list-row', { hasText: 'learning-outcome checklist' });
      await until('the checklist code action', async () => (await actions.count()) > 0, 15000);
      const count = await actions.count();
      const menu = (await page.locator('.action-widget .monaco-list-row').allInnerTexts()).map(t => t.trim());
      if (count !== 1) throw new Error(`${count} checklist actions: ${JSON.stringify(menu)}`);
      await actions.first().click();
      const choices = await checklistChoices();
      if (!choices.some(c => c.startsWith('The whole primer'))) throw new Error(`choices: ${JSON.stringify(choices)}`);
      await page.screenshot({ path: path.join(ARTIFACTS, 'vscode-checklist-pick.png') });
      await page.locator(`${QUICK_INPUT} input`).fill('State');
      await page.locator(`${QUICK_INPUT} .monaco-list-row`, { hasText: '2. State' }).first().click();
      const text = await until('task items in the note', async () => {
        const t = await editorText();
        return /## Learning outcomes: 2\. State[\s\S]*- \[ \] /.test(t) ? t : null;
      }, 15000);
      // The question was the quick pick only, not also a notification with a row of buttons.
      const asked = (await toasts()).find(t => t.includes(CHECKLIST_QUESTION));
      if (asked) throw new Error(`the question also came as a notification: ${asked}`);
      await sleep(300);
      await page.screenshot({ path: path.join(ARTIFACTS, 'vscode-checklist.png') });
      return `menu ${JSON.stringify(menu)}; choices ${JSON.stringify(choices.slice(0, 3))}…; ${(text.match(/- \[ \] /g) || []).length} open items on screen`;
    });

    await check('the code lens above the new checklist comes by itself and opens the outcomes view', async () => {
      await clearToasts();
      // No typing, no saving: the server asks VS Code to refresh its lenses (workspace/codeLens/refresh).
      // The editor keeps the focus meanwhile: VS Code fetches lenses a moment after the refresh
      // and drops that fetch when the editor loses the focus (until it has it again), so moving
      // the focus away here made this check fail now and then.
      await until('the editor to have the focus', editorFocused, 5000, 50);
      const lens = page.locator('.codelens-decoration a', { hasText: /Outcomes: 0\/\d+ done/ }).first();
      await until('the checklist code lens', async () => lens.isVisible(), 25000, 200);
      const label = (await lens.innerText()).trim();
      // The Explorer in the side bar, so that the click is what brings the outcomes view.
      await showExplorer();
      await lens.click();
      await until('the outcomes view', async () => /outcomes done/.test(await outcomesViewText()), 10000);
      const json = (await toasts()).find(t => t.includes('"done"'));
      if (json) throw new Error(`the lens showed the raw answer: ${json.slice(0, 100)}`);
      return `clicked ${JSON.stringify(label)}`;
    });

    await check('ticking an item updates the status bar, the lens and the view without saving', async () => {
      await clearToasts();
      await focusWorkbench();
      await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
      // The first item of the checklist just inserted: line 10 of week2.md.
      await page.keyboard.press('Control+G');
      await page.locator(`${QUICK_INPUT} input`).waitFor({ state: 'visible', timeout: 10000 });
      await page.keyboard.type('10');
      await page.keyboard.press('Enter');
      // Keys typed before the editor has the focus back would go to the closing quick input.
      await until('the editor to have the focus', editorFocused, 5000, 50);
      const before = await until('the cursor on line 10', cursorLineText, 5000);
      if (!before.startsWith('- [ ] ')) throw new Error(`line 10 is not an open item: ${JSON.stringify(before)}`);
      await page.keyboard.press('Home');
      for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
      await page.keyboard.press('Shift+ArrowRight');
      await page.keyboard.type('x');
      const after = await until('the tick on screen', async () => {
        const t = await cursorLineText();
        return t && !t.startsWith('- [ ] ') ? t : null;
      }, 5000, 50);
      if (!after.startsWith('- [x] ')) throw new Error(`the tick went wrong: ${JSON.stringify(after)}`);
      const status = await until('"Outcomes 3/N" in the status bar', async () => {
        const t = await statusItem();
        return /^Outcomes 3\/\d+$/.test(t) ? t : null;
      }, 20000);
      const lens = await until('the lens to count the tick', async () => {
        const t = (await page.locator('.codelens-decoration').allInnerTexts()).find(l => /Outcomes: 1\/\d+ done/.test(l));
        return t ? t.trim() : null;
      }, 20000);
      await until('the view to count the tick', async () => /State\s*1\/\d+/.test(await outcomesViewText()), 20000);
      await page.screenshot({ path: path.join(ARTIFACTS, 'vscode-ticked.png') });
      return `${JSON.stringify(status)}, lens ${JSON.stringify(lens)}`;
    });

    await check('"Primer: Insert Outcome Checklist" asks the same question (dismissed: nothing inserted)', async () => {
      await clearToasts();
      await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
      await page.keyboard.press('Control+End');
      const textBefore = await editorText();
      await runCommand('Primer: Insert Outcome Checklist');
      const choices = await checklistChoices();
      // 2. State adds nothing any more, so it is not offered.
      if (choices.some(c => c.startsWith('2. State'))) throw new Error(`2. State offered again: ${JSON.stringify(choices)}`);
      if (!choices.some(c => c.startsWith('The whole primer'))) throw new Error(`choices: ${JSON.stringify(choices)}`);
      await page.keyboard.press('Escape');
      await until('the "no learning outcome was inserted" status message', async () =>
        (await page.locator('.statusbar-item').allInnerTexts()).some(t => t.includes('no learning outcome was inserted')), 15000);
      if ((await editorText()) !== textBefore) throw new Error('the note changed');
      return JSON.stringify(choices.slice(0, 4));
    });

    await check('the outcomes HTML page (primer-ls outcomes --html) renders', async () => {
      if (!OUTCOMES_HTML || !fs.existsSync(OUTCOMES_HTML)) throw new Error('primer-ls outcomes --html wrote no page');
      const other = await context.newPage();
      try {
        await other.goto(`file://${OUTCOMES_HTML}`);
        const body = await other.locator('body').innerText();
        await other.screenshot({ path: path.join(ARTIFACTS, 'outcomes-html.png'), fullPage: true });
        if (!body.includes('Reliable RPCs')) throw new Error(`page lacks "Reliable RPCs": ${body.slice(0, 200)}`);
        return `${body.length} characters of text`;
      } finally {
        await other.close();
      }
    });
  } else {
    await check('"Primer: Insert Outcome Checklist" says the server cannot', async () => {
      await clearToasts();
      await openFile('week2.md');
      await runCommand('Primer: Insert Outcome Checklist');
      const msg = await until('the "not supported" notification', async () =>
        (await toasts()).find(t => t.includes('does not support outcome checklists')), 20000);
      return `says ${JSON.stringify(msg.slice(0, 100))}`;
    });
  }

  if (OUTCOMES_SUPPORTED) {
    // A server with outcomes also has the inlay hints, off by default.
    await check('turning primer.inlayHints.enabled on and off in Settings reaches the running server', async () => {
      await clearToasts();
      await openFile('week1.md');
      const hint = /→ [^\n]*›[^\n]*/;
      const hintShown = async () => {
        const m = (await editorText()).match(hint);
        return m ? m[0] : null;
      };
      const before = await hintShown();
      if (before) throw new Error(`an inlay hint shows while the setting is off: ${before}`);
      // Through the Settings editor, as a user would: code-server does not watch the user
      // settings file for changes made behind its back.
      const userSettings = path.join(RUN_DIR, 'data', 'User', 'settings.json');
      const toggle = async want => {
        await runCommand('Preferences: Open User Settings');
        await until('the settings search box to have the focus', async () =>
          page.evaluate(() => !!document.activeElement && !!document.activeElement.closest('.settings-editor')), 10000);
        await page.keyboard.type('primer.inlayHints.enabled');
        const box = page.locator('.settings-editor .setting-item-bool', { hasText: 'Inlay Hints' }).locator('.setting-value-checkbox').first();
        await box.waitFor({ state: 'visible', timeout: 10000 });
        await box.click();
        // The Settings editor writes the file (dropping the key for the default, false); close it
        // only once the value is there.
        await until(`primer.inlayHints.enabled: ${want} in the settings file`, async () =>
          (JSON.parse(fs.readFileSync(userSettings, 'utf8'))['primer.inlayHints.enabled'] ?? false) === want, 10000);
        const checked = await box.getAttribute('aria-checked', { timeout: 2000 }).catch(() => '?');
        await page.keyboard.press('Escape');
        await page.keyboard.press('Escape');
        return checked;
      };
      const on = await toggle(true);
      const shown = await until('an inlay hint in week1.md', hintShown, 20000);
      await sleep(300);
      await page.screenshot({ path: path.join(ARTIFACTS, 'vscode-inlay-hints.png') });
      const off = await toggle(false);
      await until('the inlay hints to go away', async () => !(await hintShown()), 20000);
      return `checkbox ${on} → ${JSON.stringify(shown)}; checkbox ${off} → gone`;
    });
  }

  /** The lines of the Primer output channel (code-server writes it to a log file). */
  function primerOutput() {
    const found = [];
    const walk = dir => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (/^\d+-Primer\.log$/.test(e.name)) found.push(p);
      }
    };
    walk(path.join(RUN_DIR, 'data', 'logs'));
    return found.map(f => fs.readFileSync(f, 'utf8')).join('\n').split('\n');
  }

  await check('"Primer: Restart Server" starts a new server that answers, with a clean log', async () => {
    await clearToasts();
    await openFile('week1.md');
    await runCommand('Primer: Restart Server');
    const said = await until('the "restarted" status message', async () => {
      const items = await page.locator('.statusbar-item').allInnerTexts();
      return items.find(t => t.includes('primer-ls restarted'));
    }, 20000, 100);
    // The new server answers hovers, too.
    const rect = await until('"idempotent" on screen', () => wordRect('idempotent'), 10000);
    const text = await until('a hover from the new server', async () => {
      await page.mouse.move(rect.x, rect.y + 200);
      await sleep(150);
      await page.mouse.move(rect.x, rect.y, { steps: 4 });
      await sleep(800);
      const t = (await page.locator('.monaco-hover:not(.hidden)').allInnerTexts()).join('\n');
      return t.includes('Idempotency') ? t : null;
    }, 30000, 500);
    await page.mouse.move(5, 5);
    let status = '';
    if (OUTCOMES_SUPPORTED) {
      // The counts of the new server: week1, week3 and the unsaved tick in week2.
      status = await until('"Outcomes 3/N" from the new server', async () => {
        const t = await statusItem();
        return /^Outcomes 3\/\d+$/.test(t) ? t : null;
      }, 20000);
    }
    // The old server's clean exit is in the log, and not as an error.
    const ended = await until('the old server\'s exit in the Primer output', async () =>
      primerOutput().find(l => /exit code 0|exited with code 0/.test(l)), 15000);
    const errors = primerOutput().filter(l => l.startsWith('[Error'));
    if (errors.length) throw new Error(`errors in the Primer output: ${JSON.stringify(errors)}`);
    return `${JSON.stringify(said.trim())}, a hover of ${text.length} characters, ${JSON.stringify(status)}; log: ${JSON.stringify(ended)}`;
  });

  // Last, since it stops the server: a primer.server.path that names no binary.
  await check('a wrong primer.server.path (missing, or not a server): one notification, no stale numbers', async () => {
    if (OUTCOMES_SUPPORTED) {
      await runCommand('Primer: Show Learning Outcomes');
      await until('the outcomes view', async () => /outcomes done/.test(await outcomesViewText()), 10000);
    }
    await clearToasts();
    const settings = path.join(RUN_DIR, 'data', 'Machine', 'settings.json');
    const good = fs.readFileSync(settings, 'utf8');
    const bad = path.join(RUN_DIR, 'no-such-dir', 'primer-ls');
    // After a failed start: exactly one notification (the extension's, with its actions), an
    // error in the status bar instead of numbers or "restarted", and a view without numbers.
    const afterFailure = async (what, fragment) => {
      const msg = await until(what, async () => (await toasts()).find(t => t.includes(fragment)), 30000);
      const all = await toasts();
      if (all.length !== 1) throw new Error(`${all.length} notifications: ${JSON.stringify(all)}`);
      const toast = page.locator('.notifications-toasts .notification-list-item').first();
      const buttons = (await toast.locator('.monaco-button').allInnerTexts()).map(b => b.trim()).filter(Boolean);
      for (const b of ['Open Settings', 'Show Output', 'Restart Server']) {
        if (!buttons.includes(b)) throw new Error(`no "${b}" button: ${JSON.stringify(buttons)}`);
      }
      const items = (await page.locator('.statusbar-item').allInnerTexts()).map(t => t.trim());
      if (items.some(t => t.includes('restarted'))) throw new Error(`the status bar says: ${JSON.stringify(items)}`);
      if (!items.includes('primer-ls')) throw new Error(`no error item in the status bar: ${JSON.stringify(items)}`);
      if (items.some(t => /Outcomes \d/.test(t))) throw new Error(`stale numbers in the status bar: ${JSON.stringify(items)}`);
      if (OUTCOMES_SUPPORTED) {
        const view = await until('the view to drop its numbers', async () => {
          const t = await outcomesViewText();
          return t.includes(fragment) && !/\d+\/\d+/.test(t) ? t : null;
        }, 10000);
        return `${JSON.stringify(msg.slice(0, 70))}; buttons ${JSON.stringify(buttons)}; view ${JSON.stringify(view.slice(0, 90))}`;
      }
      return JSON.stringify(msg.slice(0, 70));
    };
    const said = [];
    try {
      fs.writeFileSync(settings, JSON.stringify({ 'primer.server.path': bad }));
      said.push(await afterFailure('the "not an executable file" notification', 'not an executable file'));
      await sleep(500); // let the toast finish sliding in
      await page.screenshot({ path: path.join(ARTIFACTS, 'vscode-bad-server-path.png') });
      // A program that is not a language server: it exits at once.
      await clearToasts();
      fs.writeFileSync(settings, JSON.stringify({ 'primer.server.path': '/bin/false' }));
      said.push(await afterFailure('the "did not start" notification', 'did not start'));
      await sleep(500);
      await page.screenshot({ path: path.join(ARTIFACTS, 'vscode-server-did-not-start.png') });
    } finally {
      fs.writeFileSync(settings, good);
    }
    await clearToasts();
    // Putting the setting back restarts the server: the numbers come back.
    await until('the status bar item after the restart', async () => /Outcomes (\d|—)/.test(await statusItem()), 30000);
    return said.join(' / ');
  });

  // After the server checks: the note it opens joins the workspace's notes while it is open.
  await check('"Primer: Open Cohort View" asks for the class folder and shows its page; a note link opens the note', async () => {
    await clearToasts();
    // From the palette it asks for the folder (code-server's own file dialog, a quick input).
    await runCommand('Primer: Open Cohort View');
    const dialog = page.locator(QUICK_INPUT, { hasText: 'one folder of notes per student' });
    await until('the folder dialog', async () => dialog.isVisible(), 10000);
    await page.keyboard.press('Escape');
    await until('the dialog to close', async () => !(await dialog.isVisible()), 5000);
    // The folder as the command's argument (a key bound in tests/vscode/run.sh).
    await focusWorkbench();
    await page.keyboard.press('Control+Alt+Shift+Y');
    const tab = page.locator('.tabs-container .tab', { hasText: `Cohort: ${path.basename(COHORT)}` });
    await until('the cohort tab', async () => (await tab.count()) > 0, 20000);
    // The webview of the page, found by its heading: other webviews (the outcomes view) may
    // stand before or after it in the workbench's page, and one re-drawn moves to the end.
    let frame = null;
    const heading = await until('the page in the webview', async () => {
      const n = await page.locator('iframe.webview.ready').count();
      for (let i = n - 1; i >= 0; i--) {
        const inner = page.frameLocator('iframe.webview.ready').nth(i).frameLocator('#active-frame');
        const h = inner.locator('h1', { hasText: 'of the cohort' });
        if (await h.count()) {
          frame = inner;
          return (await h.first().innerText()).trim();
        }
      }
      return null;
    }, 30000); // (the session's first webview: code-server registers its webview worker then)
    const students = await frame.locator('svg').first().innerHTML();
    for (const name of ['alice', 'bob', 'chen', 'dana']) {
      if (!students.includes(name)) throw new Error(`the heatmap does not name ${name}`);
    }
    await page.screenshot({ path: path.join(ARTIFACTS, 'vscode-cohort.png') });
    await frame.locator('a', { hasText: 'week1.md' }).first().click();
    // The note opens beside the page: an active tab in another editor group, alice's week1.md.
    await until("alice's week1.md to open", async () => {
      const names = [];
      for (const t of await page.locator('.tabs-container .tab.active').all()) names.push(await t.getAttribute('data-resource-name'));
      const crumbs = page.locator('.monaco-breadcrumbs', { hasText: 'alice' });
      return names.includes('week1.md') && (await crumbs.count()) > 0;
    }, 15000);
    return `${JSON.stringify(heading)}; 4 students in the heatmap; week1.md opened`;
  });
}

main()
  .catch(err => {
    counts.failed++;
    console.log(`FAIL: e2e script - ${err && err.stack ? err.stack : err}`);
  })
  .finally(() => {
    log(`done in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
    console.log(`vscode: ${counts.passed} passed, ${counts.failed} failed`);
    process.exit(counts.failed === 0 && counts.passed > 0 ? 0 : 1);
  });
