// The local web chat (GET /chat): a conversation over the public
// /api/v1/ask and /api/v1/explain, the same calls every client makes. No
// framework and nothing from outside the bot; every text from the server is
// put into the page as text (never as HTML).
'use strict';

const KEY = {
  session: 'osce-chat.session',
  turns: 'osce-chat.turns',
  history: 'osce-chat.history',
  lang: 'osce-chat.lang',
};
const MAX_TURNS = 200;    // kept in local storage
const MAX_HISTORY = 100;  // questions the arrows recall
const VERSION_POLL_MS = 3000;

const $ = (id) => document.getElementById(id);

// Local storage that never throws (private windows, full quota).
const store = {
  get(key, fallback) {
    try {
      const v = localStorage.getItem(key);
      return v === null ? fallback : JSON.parse(v);
    } catch (e) {
      return fallback;
    }
  },
  set(key, value) {
    try {
      localStorage.setItem(key, JSON.stringify(value));
    } catch (e) { /* not kept across a reload, still works */ }
  },
};

function newSessionId() {
  if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

// el('p', {class: 'x'}, 'text', child): an element with attributes and
// children (lists of them at any depth); strings become text nodes.
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

// What local storage held, if it is a list, without the items a page of
// another version (or a hand edit) may have left in another shape.
function listOf(value, valid) {
  return Array.isArray(value) ? value.filter(valid) : [];
}

const state = {
  session: store.get(KEY.session, null) || newSessionId(),
  turns: listOf(store.get(KEY.turns, []),
    (t) => t && typeof t.q === 'string' && (t.error || (t.reply && typeof t.reply === 'object'))),
  history: listOf(store.get(KEY.history, []), (q) => typeof q === 'string'),
  historyAt: -1,  // index into history while recalling, -1 when not
  draft: '',
  version: null,     // the knowledge version the page first saw (or acknowledged)
  current: null,     // the latest one
  facts: new Map(),  // fact id -> text, for citations
  busy: false,
};
store.set(KEY.session, state.session);

// The JSON a call answers with, and the knowledge version that answered
// it (the X-Knowledge-Version header of /api/v1/ask and /explain).
async function callJson(method, path, body) {
  const init = {method};
  if (body !== undefined) {
    init.headers = {'Content-Type': 'application/json'};
    init.body = JSON.stringify(body);
  }
  const res = await fetch(path, init);
  let data = null;
  try {
    data = await res.json();
  } catch (e) { /* not JSON: reported below */ }
  if (!res.ok) {
    throw new Error((data && data.error) || ('HTTP ' + res.status));
  }
  return {data, version: res.headers.get('X-Knowledge-Version') || ''};
}

async function postJson(path, body) {
  return (await callJson('POST', path, body)).data;
}

function requestBody(text, lang) {
  const body = {text, session: state.session};
  if (lang) body.lang = lang;
  return body;
}

// ---- the knowledge version and fact texts --------------------------------

function versionLabel(v) {
  if (!v) return 'unknown';
  return (v.content_hash || '').slice(0, 8);
}

function showVersion() {
  const v = state.current;
  $('version').textContent = v
    ? `knowledge ${versionLabel(v)} (loaded ${v.loaded_at}, ${v.intents} intents, ${v.facts} facts)`
    : 'knowledge: not reachable';
  $('version').dataset.hash = v ? v.content_hash : '';
}

async function loadFacts() {
  try {
    const res = await fetch('/api/v1/facts');
    if (!res.ok) return;
    const data = await res.json();
    state.facts = new Map((data.facts || []).map((f) => [f.id, f.text]));
  } catch (e) { /* citations then show the id only */ }
}

async function checkVersion() {
  let v;
  try {
    const res = await fetch('/chat/version', {cache: 'no-store'});
    if (!res.ok) throw new Error('HTTP ' + res.status);
    v = await res.json();
  } catch (e) {
    state.current = null;
    showVersion();
    return;
  }
  const changed = !state.current || state.current.content_hash !== v.content_hash;
  state.current = v;
  if (!state.version) state.version = v;
  showVersion();
  if (changed) await loadFacts();
  if (state.version.content_hash !== v.content_hash) {
    $('notice-text').textContent =
      `The knowledge was reloaded: now ${versionLabel(v)} (loaded ${v.loaded_at}), ` +
      `was ${versionLabel(state.version)}. New answers come from it.`;
    $('notice').hidden = false;
  }
}

// ---- rendering a turn ----------------------------------------------------

let citeCount = 0;

function citation(fact) {
  const id = 'cite-' + (++citeCount);
  const text = state.facts.get(fact.id) || ('fact ' + fact.id);
  const body = el('span', {class: 'fact-text', id, role: 'note', hidden: true}, text);
  const button = el('button', {
    type: 'button', class: 'cite', title: text, 'aria-expanded': 'false',
    'aria-controls': id, 'data-fact': fact.id,
    onclick: () => {
      const open = button.getAttribute('aria-expanded') !== 'true';
      button.setAttribute('aria-expanded', String(open));
      body.hidden = !open;
    },
  }, fact.source || fact.id);
  return el('li', {}, button, body);
}

function metaLine(reply) {
  const parts = [];
  parts.push(el('span', {class: 'intent'}, 'intent: ', el('code', {}, reply.intent || 'none')));
  if (reply.lang) parts.push(el('span', {class: 'lang'}, 'language: ', el('code', {}, reply.lang)));
  if (reply.reason) {
    const r = reply.reason;
    const what = r.entity || r.year || r.detail || r.number || '';
    parts.push(el('span', {class: 'reason'}, 'refused: ', el('code', {}, r.code + (what ? ' ' + what : ''))));
  }
  return el('p', {class: 'meta'}, parts);
}

function botMessage(turn) {
  const reply = turn.reply;
  if (turn.error) {
    return el('div', {class: 'msg bot error', role: 'alert'},
      el('p', {}, 'The bot could not answer: ' + turn.error));
  }
  const kids = [el('p', {class: 'answer', lang: reply.lang || null}, reply.answer)];
  const ctx = reply.context;
  if (ctx && typeof ctx === 'object') {
    kids.push(el('p', {class: 'read-as'}, 'Read with the conversation as: ',
      el('q', {}, ctx.read_as || JSON.stringify(ctx))));
  }
  if (reply.facts && reply.facts.length) {
    kids.push(el('ul', {class: 'cites', 'aria-label': 'Sources'}, reply.facts.map(citation)));
  }
  if (reply.suggestions && reply.suggestions.length) {
    kids.push(el('div', {class: 'suggestions', role: 'group', 'aria-label': 'Did you mean'},
      el('span', {class: 'lead'}, 'Did you mean:'),
      reply.suggestions.map((s) => el('button', {
        type: 'button', class: 'suggestion', onclick: () => ask(s),
      }, s))));
  }
  kids.push(metaLine(reply));
  const drawer = el('details', {class: 'explain'},
    el('summary', {}, 'Explain'), el('div', {class: 'explain-body'}, 'Loading…'));
  drawer.addEventListener('toggle', () => {
    if (drawer.open && !drawer.dataset.loaded) loadExplain(turn, drawer);
  });
  kids.push(drawer);
  return el('div', {class: 'msg bot' + (reply.fallback ? ' fallback' : '')}, kids);
}

function renderTurn(turn, index) {
  const user = el('div', {class: 'msg user'},
    el('span', {class: 'visually-hidden'}, 'You: '),
    el('p', {}, turn.q),
    turn.lang ? el('span', {class: 'badge', title: 'language override'}, turn.lang) : null);
  const item = el('li', {class: 'turn', id: 'turn-' + index}, user,
    el('span', {class: 'visually-hidden'}, 'Bot: '), botMessage(turn));
  return item;
}

function renderAll() {
  const log = $('log');
  log.replaceChildren(...state.turns.map(renderTurn));
  $('empty').hidden = state.turns.length > 0;
  $('session').textContent = 'session ' + state.session.slice(0, 8);
  $('session').dataset.session = state.session;
}

// ---- the explain drawer --------------------------------------------------

function copyButton(text) {
  const b = el('button', {type: 'button', class: 'copy', title: 'Copy ' + text,
    'aria-label': 'Copy ' + text}, 'copy');
  b.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(text);
      b.textContent = 'copied';
    } catch (e) {
      b.textContent = 'select it';
    }
    setTimeout(() => { b.textContent = 'copy'; }, 1500);
  });
  return b;
}

// Any JSON value as nested lists, for fields the page does not know yet.
function generic(value, depth = 0) {
  if (value === null || typeof value !== 'object') return el('code', {}, JSON.stringify(value));
  if (depth > 4) return el('code', {}, JSON.stringify(value));
  if (Array.isArray(value)) {
    if (!value.length) return el('code', {}, '[]');
    return el('ul', {class: 'generic'}, value.map((v) => el('li', {}, generic(v, depth + 1))));
  }
  const entries = Object.entries(value);
  if (!entries.length) return el('code', {}, '{}');
  return el('dl', {class: 'generic'},
    entries.map(([k, v]) => [el('dt', {}, k), el('dd', {}, generic(v, depth + 1))]));
}

function section(title, ...body) {
  return el('section', {class: 'x-section'}, el('h3', {}, title), body);
}

function candidate(c) {
  const mark = c.winner ? 'winner' : c.vetoed ? 'vetoed' : 'matched';
  const captures = Object.entries(c.captures || {});
  return el('li', {class: 'candidate ' + mark},
    el('p', {class: 'c-head'},
      el('strong', {}, c.intent), ' ', el('span', {class: 'tag ' + mark}, mark),
      ` priority ${c.priority}, specificity ${c.specificity}`),
    el('p', {class: 'c-pattern'}, 'pattern ', el('code', {}, c.pattern)),
    el('p', {class: 'c-where'}, el('code', {class: 'where'}, c.where), ' ', copyButton(c.where)),
    captures.length ? el('p', {}, 'captures: ',
      captures.map(([k, v]) => el('code', {}, `${k}=${v} `))) : null,
    c.vetoed_by ? el('p', {class: 'c-veto'}, 'vetoed by ', el('code', {}, c.vetoed_by.pattern),
      ' at ', el('code', {class: 'where'}, c.vetoed_by.where), ' ', copyButton(c.vetoed_by.where)) : null,
    c.concepts ? el('p', {}, 'concepts: ', c.concepts.map((u) =>
      el('code', {}, `{${u.concept}} "${u.matched}" (term ${u.term}) `))) : null);
}

const KNOWN_EXPLAIN_KEYS = new Set(['question_normalized', 'candidates', 'winner', 'why',
  'grounding', 'facts', 'reply', 'lang', 'language', 'lang_evidence', 'context']);

// The conversation the explanation used (`context` of /api/v1/explain
// with a session): the last turn it leans on, how the question was read,
// the readings tried. Explaining takes no turn, but it reads the question
// with the conversation as it is now, after the latest turn.
function contextSection(ctx, turn) {
  const body = [];
  const answered = turn.reply && turn.reply.context && turn.reply.context.read_as;
  if (answered) {
    body.push(el('p', {class: 'answered-as'}, 'Answered as: ', el('q', {}, answered)));
  }
  if (!ctx || typeof ctx !== 'object') {
    body.push(el('p', {class: 'absent'}, 'not reported by this server'));
    return section('Context', body);
  }
  const prev = ctx.previous;
  if (prev && typeof prev === 'object') {
    const facts = (prev.facts || []).join(', ');
    const entities = [...(prev.entities || []), ...(prev.answer_entities || [])];
    body.push(el('dl', {class: 'x-context'},
      el('dt', {}, 'last question'), el('dd', {class: 'prev-question'}, prev.question || '—'),
      el('dt', {}, 'its intent'), el('dd', {}, el('code', {class: 'prev-intent'}, prev.intent || 'none')),
      entities.length ? [el('dt', {}, 'entities'), el('dd', {}, [...new Set(entities)].join(', '))] : null,
      prev.detail ? [el('dt', {}, 'detail asked'), el('dd', {}, prev.detail)] : null,
      facts ? [el('dt', {}, 'facts'), el('dd', {}, facts)] : null,
      prev.lang ? [el('dt', {}, 'language'), el('dd', {}, el('code', {}, prev.lang))] : null,
      el('dt', {}, 'turns'), el('dd', {}, String(prev.turns ?? ''))));
  } else {
    body.push(el('p', {class: 'absent no-context'},
      'No conversation context: the session is new, expired or forgotten.'));
  }
  body.push(el('p', {class: 'reading'}, 'Reading: ', el('code', {}, ctx.reading || 'alone'),
    ctx.read_as ? [' as ', el('q', {class: 'read-as-explained'}, ctx.read_as)] : null));
  if (ctx.tried && ctx.tried.length) {
    body.push(el('p', {}, 'Tried:'), el('ul', {class: 'tried'}, ctx.tried.map((t) => el('li', {}, t))));
  }
  const last = state.turns[state.turns.length - 1];
  body.push(el('p', {class: 'absent'}, last === turn
    ? 'Explaining takes no turn. The conversation shown is as it is now, so it already holds this turn.'
    : 'Explaining takes no turn. The conversation shown is as it is now, after later turns; ' +
      'when this turn was asked it may have been read otherwise.'));
  return section('Context', body);
}

function renderExplain(e, turn, explainedWith) {
  const parts = [];
  const now = explainedWith || (state.current ? state.current.content_hash : '');
  if (turn.version && now && turn.version !== now) {
    parts.push(el('p', {class: 'absent stale', role: 'note'},
      `Answered with knowledge ${turn.version.slice(0, 8)}, explained with today's ` +
      `${now.slice(0, 8)}: the knowledge changed since, so this explanation may differ ` +
      'from what was answered.'));
  } else if (!turn.version && now) {
    parts.push(el('p', {class: 'absent stale', role: 'note'},
      `Explained with knowledge ${now.slice(0, 8)}; the version this turn was answered with ` +
      'is not known.'));
  }
  parts.push(section('Normalised', el('code', {class: 'normalized'}, e.question_normalized)));
  const lang = e.language || e.lang || (e.reply && e.reply.lang);
  if (lang && typeof lang === 'object' && typeof lang.lang === 'string') {
    const answered = e.reply && e.reply.lang;
    parts.push(section('Language',
      el('p', {class: 'x-lang'}, 'question in ', el('code', {class: 'detected'}, lang.lang || '?'),
        lang.decided ? '' : ' (undecided)', lang.from_hint ? ', from the conversation\'s language' : '',
        answered ? [', answered in ', el('code', {class: 'answered'}, answered)] : null),
      (lang.evidence || []).length
        ? el('ul', {class: 'evidence'}, lang.evidence.map((x) => el('li', {}, x))) : null));
  } else if (lang !== undefined) {
    parts.push(section('Language', generic(lang)));
  } else {
    parts.push(section('Language', el('p', {class: 'absent'}, 'not reported by this server')));
  }
  parts.push(contextSection(e.context, turn));
  const cands = e.candidates || [];
  parts.push(section(`Candidates (${cands.length})`,
    cands.length ? el('ol', {class: 'candidates'}, cands.map(candidate))
      : el('p', {class: 'absent'}, 'no intent matched')));
  if (e.grounding) {
    parts.push(section('Grounding' + (e.grounding.refused ? ': refused' : ''),
      el('ul', {class: 'grounding'}, (e.grounding.steps || []).map((s) =>
        el('li', {class: s.passed ? 'ok' : 'refused'},
          el('strong', {}, s.rule), s.passed ? ' ok: ' : ' REFUSED: ', s.note)))));
  }
  parts.push(section('Winner', el('p', {}, el('code', {}, e.winner || 'none'), ' — ', e.why || '')));
  if (e.facts && e.facts.length) {
    parts.push(section('Facts', el('ul', {class: 'x-facts'}, e.facts.map((f) =>
      el('li', {}, el('code', {}, f.id), ` (${f.source}) `,
        f.where ? [el('code', {class: 'where'}, f.where), ' ', copyButton(f.where)] : null,
        el('p', {}, f.text))))));
  }
  const other = Object.entries(e).filter(([k]) => !KNOWN_EXPLAIN_KEYS.has(k));
  if (other.length) parts.push(section('More', generic(Object.fromEntries(other))));
  parts.push(el('details', {class: 'raw'}, el('summary', {}, 'Raw JSON'),
    el('pre', {}, JSON.stringify(e, null, 2))));
  return parts;
}

async function loadExplain(turn, drawer) {
  const body = drawer.querySelector('.explain-body');
  try {
    const {data, version} = await callJson('POST', '/api/v1/explain', requestBody(turn.q, turn.lang));
    body.replaceChildren(...renderExplain(data, turn, version));
    drawer.dataset.loaded = '1';
  } catch (err) {
    body.replaceChildren(el('p', {class: 'error', role: 'alert'}, 'Explain failed: ' + err.message));
  }
}

// ---- asking --------------------------------------------------------------

function save() {
  if (state.turns.length > MAX_TURNS) state.turns = state.turns.slice(-MAX_TURNS);
  store.set(KEY.turns, state.turns);
  store.set(KEY.history, state.history);
}

async function ask(text) {
  text = text.trim();
  if (!text || state.busy) return;
  state.busy = true;
  $('send').disabled = true;
  const lang = $('lang').value || null;
  if (state.history[state.history.length - 1] !== text) state.history.push(text);
  if (state.history.length > MAX_HISTORY) state.history.shift();
  state.historyAt = -1;
  const turn = {q: text, lang, version: state.current ? state.current.content_hash : ''};
  try {
    const {data, version} = await callJson('POST', '/api/v1/ask', requestBody(text, lang));
    turn.reply = data;
    if (version) turn.version = version;  // exactly the knowledge that answered
  } catch (err) {
    turn.error = err.message;
  }
  state.turns.push(turn);
  save();
  const index = state.turns.length - 1;
  const item = renderTurn(turn, index);
  $('log').append(item);
  $('empty').hidden = true;
  item.scrollIntoView({block: 'end'});
  state.busy = false;
  $('send').disabled = false;
  checkVersion();
}

function onKey(event) {
  const input = $('q');
  const h = state.history;
  if (event.key === 'ArrowUp' && h.length) {
    event.preventDefault();
    if (state.historyAt === -1) {
      state.draft = input.value;
      state.historyAt = h.length;
    }
    state.historyAt = Math.max(0, state.historyAt - 1);
    input.value = h[state.historyAt];
  } else if (event.key === 'ArrowDown' && state.historyAt !== -1) {
    event.preventDefault();
    state.historyAt += 1;
    if (state.historyAt >= h.length) {
      state.historyAt = -1;
      input.value = state.draft;
    } else {
      input.value = h[state.historyAt];
    }
  }
}

// Forgets the old conversation on the server (DELETE /api/v1/sessions/ID)
// before switching to a new session id, so nothing of it is read into a
// later question. The switch happens even when the server cannot be
// reached: its context then expires by itself.
async function newConversation() {
  if (state.busy) return;
  state.busy = true;
  const old = state.session;
  try {
    const {data} = await callJson('DELETE', '/api/v1/sessions/' + encodeURIComponent(old));
    $('session').title = data && data.forgotten ? `session ${old.slice(0, 8)} forgotten`
      : `session ${old.slice(0, 8)} had no context to forget`;
  } catch (err) {
    $('session').title = `could not forget session ${old.slice(0, 8)}: ${err.message}`;
  }
  state.busy = false;
  state.session = newSessionId();
  state.turns = [];
  store.set(KEY.session, state.session);
  save();
  renderAll();
  $('export').hidden = true;
  $('q').focus();
}

// ---- save as test --------------------------------------------------------

// A YAML double-quoted scalar: JSON's escapes are YAML's, plus the line
// separators YAML would otherwise fold.
function yamlString(s) {
  return JSON.stringify(s).replace(/[\u0085\u2028\u2029]/g,
    (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

// The conversation as an intents/tests dialogue: its answered turns in
// order, each with the intent that answered it (`fallback` for none) and
// the language override it was asked with, so `bot test` asks them in one
// conversation and a follow-up is read with its context again. A turn that
// failed (no reply) took no turn on the server and is left out.
function testYaml() {
  const v = state.current || state.version;
  const lines = [
    `# Saved from the web chat on ${new Date().toISOString().slice(0, 19)}Z,`,
    `# session ${state.session}, knowledge ${versionLabel(v)}.`,
    '# One dialogue, asked in order in one conversation: each turn must be',
    '# answered by its intent (`fallback`: none). Run it with `bot test`.',
  ];
  const turns = [];
  for (const t of state.turns) {
    if (t.error || !t.reply) continue;
    const expected = t.reply.fallback || !t.reply.intent ? 'fallback' : t.reply.intent;
    const id = /^[a-z0-9_.-]+$/.test(expected) ? expected : yamlString(expected);
    const lang = t.lang ? `, lang: ${t.lang}` : '';
    if (t.reply.context && t.reply.context.read_as) {
      turns.push(`      # a follow-up, read as ${yamlString(t.reply.context.read_as)}`);
    }
    turns.push(`      - {q: ${yamlString(t.q)}, intent: ${id}${lang}}`);
  }
  if (!turns.length) {
    lines.push('dialogues: []');
  } else {
    lines.push('dialogues:', `  - id: ${yamlString('chat-' + state.session.slice(0, 8))}`, '    turns:', ...turns);
  }
  return lines.join('\n') + '\n';
}

function saveAsTest() {
  const yaml = testYaml();
  const stamp = new Date().toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  const name = `chat-${stamp}.yaml`;
  const url = URL.createObjectURL(new Blob([yaml], {type: 'application/yaml'}));
  const link = $('export-link');
  if (link.dataset.url) URL.revokeObjectURL(link.dataset.url);
  link.href = url;
  link.dataset.url = url;
  link.download = name;
  $('export-text').value = yaml;
  $('export').hidden = false;
  link.click();
}

// ---- start ---------------------------------------------------------------

async function loadStarters() {
  try {
    const res = await fetch('/api/v1/intents');
    if (!res.ok) return;
    const data = await res.json();
    const examples = [];
    for (const i of data.intents || []) {
      if (i.examples && i.examples.length && !i.id.startsWith('smalltalk')) examples.push(i.examples[0]);
      if (examples.length === 3) break;
    }
    $('starters').replaceChildren(...examples.map((q) =>
      el('button', {type: 'button', class: 'suggestion', onclick: () => ask(q)}, q)));
  } catch (e) { /* the page works without them */ }
}

function start() {
  $('lang').value = store.get(KEY.lang, '') || '';
  $('lang').addEventListener('change', () => store.set(KEY.lang, $('lang').value));
  $('ask').addEventListener('submit', (event) => {
    event.preventDefault();
    const text = $('q').value;
    $('q').value = '';
    ask(text);
  });
  $('q').addEventListener('keydown', onKey);
  $('new').addEventListener('click', newConversation);
  $('save').addEventListener('click', saveAsTest);
  $('export-close').addEventListener('click', () => { $('export').hidden = true; $('save').focus(); });
  $('notice-close').addEventListener('click', () => {
    state.version = state.current;  // acknowledged
    $('notice').hidden = true;
  });
  renderAll();
  loadStarters();
  checkVersion().then(renderAll);  // citations get their fact texts
  setInterval(() => { if (!document.hidden) checkVersion(); }, VERSION_POLL_MS);
  $('q').focus();
}

start();
