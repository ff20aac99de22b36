// End-to-end test of the web chat (GET /chat) in headless Debian chromium,
// driven by playwright-core. Starts `bot serve` on a free loopback port over
// a copy of intents/ and facts/, walks through every step of issue 17, takes
// screenshots at desktop and phone sizes and checks nothing overflows.
// Usage: node chat_test.mjs BOT_BINARY OUT_DIR   (tests/browser/run.sh)
// Exit 0 when every step passed, 1 else (a step cannot skip).
import {spawn, spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {chromium} from 'playwright-core';

const [bot, outDir] = process.argv.slice(2, 4).map((p) => path.resolve(p));
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const STEP_MS = 15000;

const results = [];  // {name, status: 'ok'|'FAIL'|'SKIP', note}
function record(name, status, note = '') {
  results.push({name, status, note});
  console.log(`${status.padEnd(4)}  ${name}${note ? '  -- ' + note : ''}`);
}
function check(condition, message) {
  if (!condition) throw new Error(message);
}

// ---- the server ------------------------------------------------------------

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bot-chat-'));
fs.cpSync(path.join(repo, 'intents'), path.join(work, 'intents'), {recursive: true});
fs.cpSync(path.join(repo, 'facts'), path.join(work, 'facts'), {recursive: true});
// Saved tests go to their own folder: `bot test --tests` runs only them (and
// the examples), not a copy of the shipped intents/tests.
fs.rmSync(path.join(work, 'intents', 'tests'), {recursive: true, force: true});
fs.mkdirSync(outDir, {recursive: true});

function startBot() {
  const env = {...process.env};
  delete env.BOT_WEB_CHAT;  // the default: on, because the host is loopback
  // Run in the copy, so explain shows paths as in the repository.
  const child = spawn(bot, ['serve', '--host', '127.0.0.1', '--port', '0'],
    {cwd: work, stdio: ['ignore', 'ignore', 'pipe'], env});
  return new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => reject(new Error('bot serve did not start in 15 s')), 15000);
    child.on('exit', (code) => reject(new Error(`bot serve exited with ${code}: ${buffer.slice(-2000)}`)));
    child.stderr.on('data', (chunk) => {
      buffer += chunk;
      const lines = buffer.split('\n');
      buffer = lines.pop();
      for (const line of lines) {
        let event;
        try { event = JSON.parse(line); } catch (e) { continue; }
        if (event.event === 'web_chat' && event.url) {
          clearTimeout(timer);
          resolve({child, url: event.url});
        }
      }
    });
  });
}

// ---- page helpers ----------------------------------------------------------

async function noOverflow(page, label) {
  const problems = await page.evaluate(() => {
    const width = window.innerWidth;
    const out = [];
    if (document.documentElement.scrollWidth > width) {
      out.push(`document is ${document.documentElement.scrollWidth}px wide`);
    }
    for (const e of document.querySelectorAll('body *')) {
      const r = e.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;  // not displayed
      if (r.left < -0.5 || r.right > width + 0.5) {
        const name = e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
          (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ').join('.') : '');
        out.push(`${name} spans ${Math.round(r.left)}..${Math.round(r.right)}`);
      }
    }
    return out.slice(0, 5);
  });
  check(problems.length === 0, `${label}: overflows the ${page.viewportSize().width}px viewport: ${problems.join('; ')}`);
}

// Text whose contrast with its background is below WCAG AA (4.5:1, or 3:1
// for large text); backgrounds are the nearest opaque ancestor's.
async function lowContrast(page) {
  return page.evaluate(() => {
    const parse = (c) => {
      const p = (c.match(/\(([^)]*)\)/) || ['', '0,0,0,0'])[1].split(/[\s,/]+/).filter(Boolean).map(Number);
      return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
    };
    const lum = ({r, g, b}) => {
      const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const background = (e) => {
      for (; e; e = e.parentElement) {
        const c = parse(getComputedStyle(e).backgroundColor);
        if (c.a > 0.5) return c;
      }
      return {r: 255, g: 255, b: 255, a: 1};
    };
    const out = [];
    for (const e of document.querySelectorAll('body *')) {
      const text = [...e.childNodes].filter((n) => n.nodeType === 3).map((n) => n.data).join('').trim();
      const r = e.getBoundingClientRect();
      if (!text || r.width <= 1 || r.height <= 1) continue;
      const s = getComputedStyle(e);
      const l1 = lum(parse(s.color)), l2 = lum(background(e));
      const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
      const size = parseFloat(s.fontSize), bold = parseInt(s.fontWeight, 10) >= 700;
      const need = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
      if (ratio < need) out.push(`${e.tagName.toLowerCase()} "${text.slice(0, 30)}" ${ratio.toFixed(2)}:1`);
    }
    return out.slice(0, 5);
  });
}

async function askAndWait(page, text) {
  const before = await page.locator('#log > li').count();
  const response = page.waitForResponse((r) => r.url().endsWith('/api/v1/ask'), {timeout: STEP_MS});
  await page.locator('#q').fill(text);
  await page.keyboard.press('Enter');
  const reply = await (await response).json();
  await page.locator('#log > li').nth(before).waitFor({timeout: STEP_MS});
  return {reply, turn: page.locator('#log > li').nth(before)};
}

// ---- the steps -------------------------------------------------------------

let server;
let browser;
let failed = false;
const consoleErrors = [];
try {
  server = await startBot();
  browser = await chromium.launch({executablePath: CHROMIUM});
  const context = await browser.newContext({viewport: {width: 1280, height: 800}, acceptDownloads: true});
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_MS);
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  const outside = [];
  await page.route('**/*', (route) => {
    const u = new URL(route.request().url());
    if (u.origin !== new URL(server.url).origin && u.protocol !== 'data:') {
      outside.push(u.href);
      return route.abort();
    }
    return route.continue();
  });

  const step = async (name, body) => {
    try {
      const note = await body();
      if (note && note.skip) record(name, 'SKIP', note.skip);
      else record(name, 'ok', typeof note === 'string' ? note : '');
    } catch (e) {
      failed = true;
      record(name, 'FAIL', e.message.split('\n')[0]);
      await page.screenshot({path: path.join(outDir, `fail-${results.length}.png`)}).catch(() => {});
    }
  };

  let sessionId = '';
  const questions = [];

  await step('the page loads with a strict Content-Security-Policy', async () => {
    const res = await page.goto(server.url);
    check(res.status() === 200, `GET /chat answered ${res.status()}`);
    const csp = res.headers()['content-security-policy'] || '';
    check(csp.includes("default-src 'none'") && csp.includes("script-src 'self'") &&
          !csp.includes('unsafe'), `policy: ${csp}`);
    await page.locator('#version[data-hash]').waitFor();
    await page.waitForFunction(() => document.getElementById('version').dataset.hash.length > 0);
    sessionId = await page.locator('#session').getAttribute('data-session');
    check(sessionId && sessionId.length >= 16, 'no session id shown');
    check(await page.locator('#q').evaluate((e) => document.activeElement === e), 'the question box has no focus');
  });

  await step('ask a question: the answer and its citation, fact text on tap', async () => {
    const q = 'When did Belarus join the OSCE?';
    questions.push(q);
    const {reply, turn} = await askAndWait(page, q);
    check(!reply.fallback && reply.facts.length > 0, `the API fell back: ${JSON.stringify(reply)}`);
    const answer = await turn.locator('.answer').textContent();
    check(answer === reply.answer, `shows "${answer}" for "${reply.answer}"`);
    const cite = turn.locator('.cite').first();
    const source = await cite.textContent();
    check(/^[a-z0-9-]+#\d+$/.test(source) && source === reply.facts[0].source, `citation "${source}"`);
    const title = await cite.getAttribute('title');
    check(title && title.length > 20 && !title.startsWith('fact '), `hover text "${title}"`);
    await cite.click();
    const text = turn.locator('.fact-text').first();
    check(await text.isVisible(), 'the fact text does not open on tap');
    check((await text.textContent()) === title, 'the tapped text is not the fact');
    return `${reply.intent}, ${source}`;
  });

  await step('open the explain drawer: the winning intent and its file:line', async () => {
    const turn = page.locator('#log > li').first();
    const drawer = turn.locator('details.explain');
    check(!(await drawer.evaluate((d) => d.open)), 'the drawer is open by default');
    await drawer.locator(':scope > summary').click();
    const winner = drawer.locator('.candidate.winner');
    await winner.waitFor();
    const intent = await winner.locator('strong').first().textContent();
    const where = await winner.locator('code.where').first().textContent();
    check(intent === 'membership.joined', `winner ${intent}`);
    check(/^intents\/[a-z_]+\.yaml:\d+$/.test(where), `where "${where}"`);
    check(await drawer.locator('.normalized').textContent() === 'when did belarus join the osce?',
      'normalised text');
    check(await drawer.locator('.raw pre').count() === 1, 'no raw JSON');
    check(await drawer.locator('.stale').count() === 0, 'a version note with the knowledge unchanged');
    return where;
  });

  await step('tap a "did you mean" suggestion after a fallback', async () => {
    const q = 'Tell me about the delegation budget';
    questions.push(q);
    const {reply, turn} = await askAndWait(page, q);
    check(reply.fallback, `not a fallback: ${reply.intent}`);
    check(reply.suggestions && reply.suggestions.length > 0, 'no suggestions in the API reply');
    const button = turn.locator('.suggestions .suggestion').first();
    const s = await button.textContent();
    check(s === reply.suggestions[0], `button "${s}"`);
    const before = await page.locator('#log > li').count();
    const response = page.waitForResponse((r) => r.url().endsWith('/api/v1/ask'));
    await button.click();
    const next = await (await response).json();
    questions.push(s);
    const nextTurn = page.locator('#log > li').nth(before);
    await nextTurn.waitFor();
    check((await nextTurn.locator('.msg.user p').textContent()) === s, 'the suggestion was not asked');
    check((await nextTurn.locator('.answer').textContent()) === next.answer, 'its answer is not shown');
    return `"${s}" -> ${next.intent}`;
  });

  let followUp = null;  // {q, readAs, intent}
  await step('ask a follow-up in the same session: the page shows how it was read', async () => {
    const first = 'Did the OSCE ever have an office in Minsk?';
    const second = 'and when did it close?';
    questions.push(first, second);
    const bodies = [];
    const listener = (r) => { if (r.url().endsWith('/api/v1/ask')) bodies.push(r.postDataJSON()); };
    page.on('request', listener);
    const a = await askAndWait(page, first);
    const b = await askAndWait(page, second);
    page.off('request', listener);
    check(bodies.length === 2 && bodies.every((x) => x.session === sessionId), 'the turns were not sent with the session');
    for (const {reply, turn} of [a, b]) {
      check((await turn.locator('.answer').textContent()) === reply.answer, 'an answer is not shown');
    }
    check(!a.reply.context, `the first question was read with context: ${JSON.stringify(a.reply.context)}`);
    check(await a.turn.locator('.read-as').count() === 0, 'a question on its own shows a reading');
    check(!b.reply.fallback && b.reply.context && b.reply.context.read_as,
      `the follow-up was not read with the conversation: ${JSON.stringify(b.reply)}`);
    const readAs = b.reply.context.read_as;
    check(/minsk/i.test(readAs) && /clos/i.test(readAs), `read as "${readAs}"`);
    check(/2010/.test(b.reply.answer), `answer "${b.reply.answer}"`);
    const shown = await b.turn.locator('.read-as q').textContent();
    check(shown === readAs, `the page shows "${shown}" for "${readAs}"`);
    followUp = {q: second, readAs, intent: b.reply.intent};
    return `read as "${shown}" -> ${b.reply.intent}`;
  });

  await step('the follow-up\'s drawer shows the context used and the reading', async () => {
    check(followUp, 'no follow-up');
    const turn = page.locator('#log > li').last();
    const drawer = turn.locator('details.explain');
    await drawer.locator(':scope > summary').click();
    await drawer.locator('.x-context').waitFor();
    check((await drawer.locator('.answered-as q').textContent()) === followUp.readAs, 'answered-as');
    const prev = await drawer.locator('.prev-question').textContent();
    check(/minsk/i.test(prev), `last question "${prev}"`);
    const explained = await drawer.locator('.read-as-explained').textContent();
    check(explained === followUp.readAs, `explained as "${explained}"`);
    check((await drawer.locator('.candidate.winner strong').first().textContent()) === followUp.intent,
      'another winner');
    // The README's picture (docs/web-chat.png): the follow-up and its
    // drawer, just below the header.
    await page.evaluate(() => {
      const turns = document.querySelectorAll('#log > li');
      const top = turns[turns.length - 1].getBoundingClientRect().top + window.scrollY;
      // Instantly: the page scrolls smoothly unless motion is reduced.
      window.scrollTo({top: top - document.querySelector('header').offsetHeight - 8, behavior: 'instant'});
    });
    await noOverflow(page, 'desktop, the follow-up\'s drawer open');
    await page.screenshot({path: path.join(outDir, 'chat-follow-up.png')});
    await drawer.locator(':scope > summary').click();
    return `last question "${prev}"`;
  });

  await step('language override is sent, the answer language shown', async () => {
    await page.locator('#lang').selectOption('ru');
    const sent = page.waitForRequest((r) => r.url().endsWith('/api/v1/ask'));
    const q = 'Когда Беларусь вступила в ОБСЕ?';
    questions.push(q);
    const {reply, turn} = await askAndWait(page, q);
    const body = (await sent).postDataJSON();
    await page.locator('#lang').selectOption('');
    check(body.lang === 'ru', `sent ${JSON.stringify(body)}`);
    check((await turn.locator('.badge').textContent()) === 'ru', 'the override is not marked');
    check(reply.lang === 'ru', `answered in ${reply.lang}`);
    check((await turn.locator('.meta .lang code').textContent()) === 'ru', 'the language is not shown');
    check((await turn.locator('.answer').getAttribute('lang')) === 'ru', 'the answer is not marked lang=ru');
    check(/[а-яё]/i.test(reply.answer) && reply.answer.includes('1992'), `answer "${reply.answer}"`);
    return `answered in ${reply.lang}`;
  });

  await step('up and down arrows recall earlier questions', async () => {
    const input = page.locator('#q');
    await input.fill('');
    await input.press('ArrowUp');
    check((await input.inputValue()) === questions[questions.length - 1], `first ArrowUp: "${await input.inputValue()}"`);
    await input.press('ArrowUp');
    check((await input.inputValue()) === questions[questions.length - 2], 'second ArrowUp');
    await input.press('ArrowDown');
    await input.press('ArrowDown');
    check((await input.inputValue()) === '', 'ArrowDown past the end keeps the draft');
  });

  await step('keyboard: Tab reaches the controls with a visible focus ring', async () => {
    await page.locator('#q').focus();
    await page.keyboard.press('Tab');  // the Send button
    const ring = await page.evaluate(() => {
      const e = document.activeElement;
      const s = getComputedStyle(e);
      return {tag: e.tagName, id: e.id, style: s.outlineStyle, width: parseFloat(s.outlineWidth)};
    });
    check(ring.id === 'send', `Tab went to ${ring.tag}#${ring.id}`);
    check(ring.style !== 'none' && ring.width >= 2, `focus ring ${ring.style} ${ring.width}px`);
    const unlabeled = await page.evaluate(() => [...document.querySelectorAll('input, select, textarea')]
      .filter((e) => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')).map((e) => e.id));
    check(unlabeled.length === 0, `fields without a label: ${unlabeled.join(', ')}`);
  });

  await step('screenshot at 1280x800: no horizontal overflow, text contrast at least AA', async () => {
    // From the top: the controls, and the first turn with its drawer open.
    await page.locator('#q').focus();
    await page.evaluate(() => window.scrollTo({top: 0, behavior: 'instant'}));
    await noOverflow(page, 'desktop');
    const low = await lowContrast(page);
    check(low.length === 0, `low contrast: ${low.join('; ')}`);
    await page.screenshot({path: path.join(outDir, 'chat-desktop.png')});
  });

  await step('a knowledge reload shows a notice with the new version', async () => {
    const before = await page.locator('#version').getAttribute('data-hash');
    const file = path.join(work, 'facts', fs.readdirSync(path.join(work, 'facts')).find((f) => f.endsWith('.yaml')));
    fs.appendFileSync(file, '\n# edited by the browser test\n');
    await page.locator('#notice').waitFor({state: 'visible', timeout: 10000});
    const after = await page.locator('#version').getAttribute('data-hash');
    check(after !== before, 'the version did not change');
    check((await page.locator('#notice-text').textContent()).includes(after.slice(0, 8)), 'the notice does not name it');
    await page.locator('#notice-close').click();
    check(await page.locator('#notice').isHidden(), 'the notice does not close');
    // A turn answered before the reload says its explanation is newer.
    const drawer = page.locator('#log > li').nth(1).locator('details.explain');
    await drawer.locator(':scope > summary').click();
    const stale = await drawer.locator('.stale').textContent();
    check(stale.includes(before.slice(0, 8)) && stale.includes(after.slice(0, 8)), `stale note "${stale}"`);
    await drawer.locator(':scope > summary').click();
  });

  let turnsBefore = 0;
  await step('reload the page: the conversation and its session are kept', async () => {
    turnsBefore = await page.locator('#log > li').count();
    await page.reload();
    await page.locator('#log > li').nth(turnsBefore - 1).waitFor();
    check(await page.locator('#log > li').count() === turnsBefore, 'turns lost');
    check(await page.locator('#session').getAttribute('data-session') === sessionId, 'another session');
    const first = await page.locator('#log > li .answer').first().textContent();
    check(first.includes('1992'), `first answer now "${first}"`);
    return `${turnsBefore} turns`;
  });

  await step('save as test, and `bot test` runs the saved file', async () => {
    const download = page.waitForEvent('download');
    await page.locator('#save').click();
    const file = await download;
    const dir = path.join(work, 'saved');
    fs.mkdirSync(dir, {recursive: true});
    const saved = path.join(dir, file.suggestedFilename());
    await file.saveAs(saved);
    check(/^chat-[0-9-]+\.yaml$/.test(file.suggestedFilename()), `file name ${file.suggestedFilename()}`);
    const yaml = fs.readFileSync(saved, 'utf8');
    fs.copyFileSync(saved, path.join(outDir, 'saved-test.yaml'));
    check(/^dialogues:\n {2}- id: "chat-[0-9a-f]{8}"\n {4}turns:\n/m.test(yaml), `not a dialogue:\n${yaml}`);
    const turns = yaml.match(/^ {6}- \{q: .*\}$/gm) || [];
    check(turns.length === turnsBefore, `${turns.length} turns saved for ${turnsBefore}`);
    const follow = `      - {q: ${JSON.stringify(followUp.q)}, intent: ${followUp.intent}}`;
    check(yaml.includes(`      # a follow-up, read as ${JSON.stringify(followUp.readAs)}\n${follow}\n`),
      'the follow-up is not saved as a turn with its reading');
    check(turns.some((t) => t.endsWith(', lang: ru}')), 'the language override is not saved');
    check(await page.locator('#export-text').inputValue() === yaml, 'the page shows another text');
    const runTests = (folder) => {
      const run = spawnSync(bot, ['test', '--tests', folder, '--failures'], {cwd: work, encoding: 'utf8'});
      const summary = (run.stdout.match(/^\d+ passed, \d+ failed$/m) || ['no summary'])[0];
      return {...run, summary};
    };
    const ok = runTests(dir);
    check(ok.status === 0, `bot test exited ${ok.status}: ${ok.summary}\n${ok.stdout}${ok.stderr}`);
    check(!/^FAIL/m.test(ok.stdout), 'a failing row');
    // The check can fail: a wrong expectation in the saved file fails the
    // run, and so does the follow-up asked without its conversation.
    const wrongDir = path.join(work, 'saved-wrong');
    fs.mkdirSync(wrongDir, {recursive: true});
    fs.writeFileSync(path.join(wrongDir, 'wrong.yaml'), yaml.replace(follow,
      `      - {q: ${JSON.stringify(followUp.q)}, intent: smalltalk.greeting}`));
    const wrong = runTests(wrongDir);
    check(wrong.status === 1 && /^FAIL .*and when did it close\?/m.test(wrong.stdout),
      `a wrong expectation: bot test exited ${wrong.status}: ${wrong.summary}\n${wrong.stdout}${wrong.stderr}`);
    fs.writeFileSync(path.join(wrongDir, 'wrong.yaml'),
      `dialogues:\n  - id: alone\n    turns:\n${follow}\n`);
    const alone = runTests(wrongDir);
    check(alone.status === 1, `the follow-up alone passed: ${alone.summary}\n${alone.stdout}`);
    return `${turns.length} turns in ${file.suggestedFilename()}, bot test: ${ok.summary}; ` +
      `wrong: ${wrong.summary}; follow-up alone: ${alone.summary}`;
  });

  await step('new conversation: the server forgets the old session, a new one and an empty log', async () => {
    // Explaining takes no turn: it shows whether the server still has the
    // old conversation's context.
    const previous = async () => {
      const r = await page.request.post(new URL('/api/v1/explain', server.url).href,
        {data: {text: followUp.q, session: sessionId}});
      check(r.ok(), `explain answered ${r.status()}`);
      return (await r.json()).context;
    };
    const before = await previous();
    check(before && before.previous, `no context before: ${JSON.stringify(before)}`);
    const requests = [];
    const listener = (r) => { if (r.url().includes('/api/v1/')) requests.push(`${r.method()} ${new URL(r.url()).pathname}`); };
    page.on('request', listener);
    const deleted = page.waitForResponse((r) => r.request().method() === 'DELETE');
    await page.locator('#new').click();
    const reply = await deleted;
    check(new URL(reply.url()).pathname === `/api/v1/sessions/${sessionId}`, `DELETE ${reply.url()}`);
    const body = await reply.json();
    check(reply.status() === 200 && body.session === sessionId && body.forgotten === true,
      `DELETE answered ${reply.status()} ${JSON.stringify(body)}`);
    await page.waitForFunction((old) => document.getElementById('session').dataset.session !== old, sessionId);
    page.off('request', listener);
    check(requests[0] === `DELETE /api/v1/sessions/${sessionId}`, `requests: ${requests.join(', ')}`);
    const after = await previous();
    check(after && after.previous === null && !after.read_as,
      `the old session still has context: ${JSON.stringify(after)}`);
    check(await page.locator('#log > li').count() === 0, 'turns kept');
    const id = await page.locator('#session').getAttribute('data-session');
    check(id && id !== sessionId, 'the same session');
    check(await page.locator('#empty').isVisible(), 'no starting hints');
    await page.reload();
    check(await page.locator('#log > li').count() === 0, 'old turns came back after a reload');
  });

  await step('phone size 390x844: screenshot and no horizontal overflow', async () => {
    await page.setViewportSize({width: 390, height: 844});
    const q = 'When was the Permanent Delegation of Belarus to the OSCE set up?';
    const {turn} = await askAndWait(page, q);
    await turn.locator('details.explain > summary').click();
    await turn.locator('.explain-body .x-section').first().waitFor();
    await turn.locator('.cite').first().click().catch(() => {});
    await noOverflow(page, 'phone');
    await page.screenshot({path: path.join(outDir, 'chat-phone.png'), fullPage: false});
    await page.setViewportSize({width: 1280, height: 800});
    await noOverflow(page, 'desktop with the drawer open');
  });

  await step('nothing fetched from elsewhere, no console errors', async () => {
    check(outside.length === 0, `requests elsewhere: ${outside.join(', ')}`);
    check(consoleErrors.length === 0, `console: ${consoleErrors.slice(0, 3).join(' | ')}`);
  });
} catch (e) {
  failed = true;
  record('set-up', 'FAIL', e.message.split('\n')[0]);
} finally {
  if (browser) await browser.close().catch(() => {});
  if (server) server.child.kill('SIGTERM');
  fs.rmSync(work, {recursive: true, force: true});
}

const count = (s) => results.filter((r) => r.status === s).length;
console.log(`\nbrowser: ${count('ok')} passed, ${count('FAIL')} failed, ${count('SKIP')} skipped`);
console.log(`screenshots in ${outDir}`);
process.exit(failed ? 1 : 0);
