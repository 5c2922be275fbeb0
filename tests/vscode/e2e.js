// Drives a running code-server (a real VS Code workbench) with headless Chromium and checks the
// Primer extension as a student would use it: hover a term, open a section, look at the outcome
// progress, insert a checklist. Run by tests/vscode/run.sh, which installs the tools, packages
// and installs the extension and starts code-server.
//
// Env: URL (code-server), WS (the workspace folder), ARTIFACTS (screenshots), RUN_DIR,
//      CHROMIUM, PLAYWRIGHT (path of playwright-core), OUTCOMES_SUPPORTED (1 when the server
//      has learning outcomes), OUTCOMES_HTML (the page `primer-ls outcomes --html` wrote).
// Prints PASS/FAIL per check and "vscode: N passed, M failed"; exits 1 when a check failed.
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

  await check('the status bar shows the outcome progress', async () => {
    if (!started) throw new Error('the server did not start');
    const pattern = OUTCOMES_SUPPORTED ? /^Outcomes (\d+)\/(\d+)$/ : /^Outcomes —$/;
    const text = await until(`status bar text ${pattern}`, async () => {
      const t = await statusItem();
      return pattern.test(t) ? t : null;
    }, 30000);
    if (OUTCOMES_SUPPORTED) {
      const [, done, total] = pattern.exec(text).map(Number);
      // week1.md ticks one outcome of "Reliable RPCs" and lists another unticked.
      if (done !== 1 || total < 2) throw new Error(`expected 1 of several outcomes done, got ${text}`);
    } else {
      const tip = await page.locator('.statusbar-item', { hasText: /Outcomes/ }).first().getAttribute('aria-label');
      log('status item aria-label:', tip);
    }
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

  await check('"Primer: Show Learning Outcomes" shows ticks and per-section progress', async () => {
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
      detail = JSON.stringify(text.slice(0, 120));
    } else {
      const msg = await until('the "not supported" notification', async () =>
        (await toasts()).find(t => t.includes('does not support learning outcomes')), 20000);
      detail = `says ${JSON.stringify(msg.slice(0, 100))}`;
    }
    await sleep(300);
    await page.screenshot({ path: path.join(ARTIFACTS, 'vscode-outcomes.png') });
    return detail;
  });

  await check('"Primer: Insert Outcome Checklist" inserts a checklist (or says it cannot)', async () => {
    await clearToasts();
    await openFile('week2.md');
    await focusWorkbench();
    await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await runCommand('Primer: Insert Outcome Checklist');
    let detail;
    if (OUTCOMES_SUPPORTED) {
      const input = page.locator(`${QUICK_INPUT} input`);
      await until('the section picker', async () => page.locator(`${QUICK_INPUT} .monaco-list-row`, { hasText: 'All sections' }).count(), 15000);
      await input.fill('State');
      const row = page.locator(`${QUICK_INPUT} .monaco-list-row`, { hasText: 'State' }).first();
      await row.waitFor({ state: 'visible', timeout: 5000 });
      await row.click();
      const msg = await until('the "Inserted" notification', async () =>
        (await toasts()).find(t => /Inserted \d+ learning outcome/.test(t)), 20000);
      const text = await until('task items in the note', async () => {
        const t = await editorText();
        return /- \[ \] /.test(t) ? t : null;
      }, 10000);
      detail = `${JSON.stringify(msg)}; note now has ${(text.match(/- \[ \] /g) || []).length} open items on screen`;
    } else {
      const msg = await until('the "not supported" notification', async () =>
        (await toasts()).find(t => t.includes('does not support outcome checklists')), 20000);
      detail = `says ${JSON.stringify(msg.slice(0, 100))}`;
    }
    await sleep(300);
    await page.screenshot({ path: path.join(ARTIFACTS, 'vscode-checklist.png') });
    return detail;
  });

  if (OUTCOMES_SUPPORTED) {
    await check('the code lens above the checklist opens the outcomes view', async () => {
      await clearToasts();
      await showExplorer();
      const lens = page.locator('.codelens-decoration a', { hasText: /Outcomes: \d+\/\d+ done/ }).first();
      const waited = Date.now();
      let nudged = false;
      await until('the checklist code lens', async () => {
        if (await lens.isVisible()) return true;
        log('code lenses on screen:', JSON.stringify(await page.locator('.codelens-decoration').allInnerTexts()));
        if (!nudged && Date.now() - waited > 8000) {
          // Seen once in five runs: the lens of a freshly inserted checklist never came, though
          // the server asks for a refresh. An edit makes VS Code ask again; say so in the log.
          nudged = true;
          log('NOTE: no code lens 8 s after the insert; typing a space to make VS Code ask again');
          await page.keyboard.type(' ');
          await page.keyboard.press('Backspace');
        }
        return false;
      }, 25000, 1000);
      const label = (await lens.innerText()).trim();
      await lens.click();
      await until('the outcomes view', async () => /outcomes done/.test(await outcomesViewText()), 10000);
      const json = (await toasts()).find(t => t.includes('"done"'));
      if (json) throw new Error(`the lens showed the raw answer: ${json.slice(0, 100)}`);
      return `clicked ${JSON.stringify(label)}`;
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

  await check('"Primer: Restart Server" starts a new server that answers', async () => {
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
    return `${JSON.stringify(said.trim())}, then a hover of ${text.length} characters`;
  });

  // Last, since it stops the server: a primer.server.path that names no binary.
  await check('a wrong primer.server.path (missing, or not a server) restarts the client and says what to do', async () => {
    await clearToasts();
    const settings = path.join(RUN_DIR, 'data', 'Machine', 'settings.json');
    const good = fs.readFileSync(settings, 'utf8');
    const bad = path.join(RUN_DIR, 'no-such-dir', 'primer-ls');
    fs.writeFileSync(settings, JSON.stringify({ 'primer.server.path': bad }));
    let msg;
    try {
      msg = await until('the "not an executable file" notification', async () =>
        (await toasts()).find(t => t.includes(bad) && t.includes('not an executable file')), 20000);
      await sleep(500); // let the toast finish sliding in
      await page.screenshot({ path: path.join(ARTIFACTS, 'vscode-bad-server-path.png') });
      // A program that is not a language server: it exits at once.
      await clearToasts();
      fs.writeFileSync(settings, JSON.stringify({ 'primer.server.path': '/bin/false' }));
      const failed = await until('the "did not start" notification', async () =>
        (await toasts()).find(t => t.includes('/bin/false') && t.includes('did not start')), 30000);
      msg += ` / ${failed.slice(0, 80)}`;
    } finally {
      fs.writeFileSync(settings, good);
    }
    await clearToasts();
    // Putting the setting back restarts the server: the status bar item comes back.
    await until('the status bar item after the restart', async () => /Outcomes (\d|—)/.test(await statusItem()), 30000);
    return JSON.stringify(msg);
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
