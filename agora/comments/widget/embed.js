/* Agora reader widget. Embed with
 *   <div id="agora-comments"></div>
 *   <script src="https://agora.example/embed.js" data-site="SLUG" async></script>
 * Dependency-free; renders in a shadow root. Comment HTML comes sanitised from the server;
 * every other text (names, messages, titles) is set with text nodes only.
 *
 * The served file is built from this source (agora/comments/widget_build.py): the English
 * catalogue i18n/en.json is bundled in place of EN below, then the whole is minified.
 * The code is a set of parts sharing one state object per widget, `S`:
 *   i18n · storage · DOM helpers · API · style · editor & nudge · comments · votes ·
 *   actions (reply, edit, delete, report) · accounts · live updates · refusals · mount. */
(() => {
"use strict";
const D = document, script = D.currentScript || D.querySelector("script[data-site][src*='embed.js']");
if (!script) return;
const API = new URL(script.src, location.href).origin, SITE = script.dataset.site, MAXD = 6;
const SORTS = ["oldest", "newest", "top", "controversial"];
const REASONS = ["abusive", "spam", "off_topic"];
const RTL = ["ar", "he", "fa", "ur"];
const LONG_PX = 360; // taller comment bodies fold behind "Read more"

// ---- i18n: English bundled, other languages overlaid from /static/agora/i18n/<lang>.json ----
const EN = {/*en.json*/};
let MSG = EN, LANG = "en";
function t(key, vars) {
  const text = MSG[key] ?? EN[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (all, name) => vars && name in vars ? vars[name] : all);
}
// Plural keys are KEY_one, KEY_other (and _zero, _two, _few, _many where a language has them).
function tn(key, count, vars) {
  let form = "other";
  try { form = new Intl.PluralRules(LANG).select(count) } catch (e) { /* keep "other" */ }
  const chosen = MSG[key + "_" + form] || EN[key + "_" + form] ? key + "_" + form : key + "_other";
  return t(chosen, {count: num(count), ...vars});
}
const num = n => { try { return new Intl.NumberFormat(LANG).format(n) } catch (e) { return String(n) } };
function wantedLanguage() {
  const tag = script.dataset.lang || D.documentElement.lang || navigator.language || "en";
  if (!/^[a-z]{2,3}(-[a-z0-9]{2,8})*$/i.test(tag)) return "en";
  try { return Intl.getCanonicalLocales(tag)[0] } catch (e) { return "en" } // pt-br -> pt-BR
}
async function loadLanguage() {
  LANG = wantedLanguage();
  const lower = LANG.toLowerCase(), base = lower.split("-")[0];
  if (base === "en") return;
  const get = tag => fetch(API + "/static/agora/i18n/" + tag + ".json").then(r => r.ok ? r.json() : {})
    .catch(() => ({})); // absent or broken: English, silently
  const tags = lower === base ? [base] : [base, LANG];
  const found = await Promise.all(tags.map(get));
  MSG = Object.assign({}, EN, ...found);
}

// ---- storage: localStorage when the browser allows it, memory otherwise ------------------
const mem = {};
function store(key, value) {
  key = "agora:" + key;
  if (value === undefined) {
    if (key in mem) return mem[key];
    try { return JSON.parse(localStorage.getItem(key)) } catch (e) { return null }
  }
  mem[key] = value;
  try { localStorage.setItem(key, JSON.stringify(value)) } catch (e) { /* memory only */ }
}

// ---- DOM helpers: h("tag", {prop or attribute or onEvent}, ...children); strings become text ----
function h(tag, props, ...kids) {
  const el = D.createElement(tag);
  for (const k in props || {}) {
    const v = props[k];
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k in el) el[k] = v;
    else if (v != null && v !== false) el.setAttribute(k, v);
  }
  for (const kid of kids.flat()) if (kid != null && kid !== false) el.append(kid);
  return el;
}
const btn = (text, onclick, cls, key) => h("button", {type: "button", class: cls || "", onclick, "data-k": key},
  text);
// The statement of reasons of the reader's own held or removed comment, where they can appeal. The
// tab opens during the click (no popup blocker), then goes to the link the API signs for the author.
const appealLink = id => h("a", {href: "#", class: "mu", onclick: async e => {
  e.preventDefault();
  const tab = open("", "_blank");
  try {
    const url = (await api(`/dsa/comments/${id}/statement`)).url;
    if (tab) tab.location = url; else location.assign(url); // a blocked popup: this tab
  } catch (x) { tab?.close() }
}}, t("appeal_link"));
const field = (label, control) => h("label", {class: "lb"}, h("span", {}, label), control);
const errorLine = () => h("p", {class: "er", role: "alert"});
let uid = 0;

// Dates: "5 minutes ago", the exact time on hover; refreshed every half minute.
const UNITS = [["year", 31536e3], ["month", 2592e3], ["week", 6048e2], ["day", 864e2], ["hour", 3600],
  ["minute", 60]];
function ago(date) {
  const seconds = (date - Date.now()) / 1000;
  try {
    const format = new Intl.RelativeTimeFormat(LANG, {numeric: "auto"});
    for (const [unit, size] of UNITS) if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
    return format.format(0, "second");
  } catch (e) { return date.toLocaleString() }
}
function exact(date) {
  try { return new Intl.DateTimeFormat(LANG, {dateStyle: "full", timeStyle: "short"}).format(date) }
  catch (e) { return date.toLocaleString() }
}
function stamp(iso) {
  const date = new Date(iso);
  return h("time", {dateTime: iso, title: exact(date)}, ago(date));
}
const refreshTimes = root => { for (const el of root.querySelectorAll("time")) el.textContent = ago(new Date(el.dateTime)) };

// Initials on a colour of the name's own, or the picture the publisher's sign-on sent.
function avatar(author) {
  if (author.avatar) return h("img", {class: "av", src: author.avatar, alt: "", loading: "lazy"});
  const words = author.name.trim().split(/\s+/).filter(Boolean);
  const initials = words.slice(0, 2).map(w => [...w][0]).join("").toUpperCase() || "?";
  let hue = 0;
  for (const ch of author.name) hue = (hue * 31 + ch.codePointAt(0)) % 360;
  return h("span", {class: "av", "aria-hidden": "true", style: `background:hsl(${hue} 45% 42%)`}, initials);
}

// ---- API: the reader token identifies this browser's reader; a login replaces it -----------
let tokenPromise = null;
function token() {
  return tokenPromise ||= store("token") ? Promise.resolve(store("token")) :
    fetch(API + "/api/v1/reader", {method: "POST"}).then(r => r.json()).then(j => {
      store("token", j.reader_token);
      return j.reader_token;
    }).catch(e => { tokenPromise = null; throw e });
}
function setToken(value) {
  store("token", value);
  tokenPromise = value ? Promise.resolve(value) : null;
}
let onRefusal = () => {};

async function api(path, method, body) {
  let response;
  try {
    const headers = {"X-Agora-Reader": await token()};
    if (body) headers["Content-Type"] = "application/json";
    if (path === "/comments") headers["Idempotency-Key"] = crypto.randomUUID?.() || Date.now() + "-" + Math.random();
    response = await fetch(API + "/api/v1" + path, {method: method || "GET", headers,
      body: body && JSON.stringify(body)});
  } catch (e) {
    throw Object.assign(new Error(t("error_unreachable")), {status: 0});
  }
  const json = await response.json().catch(() => ({}));
  if (!response.ok) {
    if (json.code === "origin_not_allowed") onRefusal(json);
    throw Object.assign(new Error(json.message || t("error_status", {status: response.status})),
      {status: response.status, code: json.code, field: json.field});
  }
  return json;
}

// Comment counts for every element with data-agora-count-url, in one request; the count of
// the article the widget shows follows the live stream.
const countUrl = el => new URL(el.dataset.agoraCountUrl, location.href).href;
const countLinks = () => [...D.querySelectorAll("[data-agora-count-url]")];
function counts() {
  const els = countLinks();
  if (!els.length) return;
  api("/counts", "POST", {site: SITE, urls: [...new Set(els.map(countUrl))].slice(0, 200)}).then(j => {
    for (const el of els) if (countUrl(el) in j.counts) el.textContent = tn("comments", j.counts[countUrl(el)]);
  }).catch(() => { /* keep the server-rendered text */ });
}
function liveCount(url, n) {
  const key = url.split("#")[0].replace(/\/$/, "");
  for (const el of countLinks()) if (countUrl(el).split("#")[0].replace(/\/$/, "") === key) el.textContent = tn("comments", n);
}

// ---- style ---------------------------------------------------------------------------------
const PALETTE = {bg: ["#fff", "#17181a"], fg: ["#1b1b1b", "#e8eaed"], muted: ["#5c6066", "#a9adb2"],
  accent: ["#0b57d0", "#8ab4f8"], border: ["#d5d8dc", "#3f4246"], surface: ["#f3f5f7", "#222428"],
  mark: ["#ffe08a", "#6b5300"], danger: ["#b3261e", "#f2b8b5"], ok: ["#146c2e", "#8fd6a2"]};
const vars = dark => Object.entries(PALETTE).map(([k, v]) =>
  `--${k}:var(--agora-${dark ? "dark-" : ""}${k},${v[+dark]})`).join(";");
const CSS = `:host{display:block!important}
.w{all:initial;display:block;${vars(0)};background:var(--bg);color:var(--fg);text-align:start;
padding:.75em .5em;font:16px/1.55 var(--agora-font,system-ui,-apple-system,"Segoe UI",Roboto,sans-serif);overflow-wrap:anywhere}
:host([data-theme=dark]) .w{${vars(1)}}
@media (prefers-color-scheme:dark){:host(:not([data-theme=light])) .w{${vars(1)}}}
*{box-sizing:border-box}[hidden]{display:none!important}
h2{font-size:1.35em;font-weight:700;margin:0;letter-spacing:-.01em}a{color:var(--accent)}
.top,.ac,.row,header{display:flex;flex-wrap:wrap;gap:.35em .7em;align-items:center}
.top{justify-content:space-between;margin-block-end:.8em;padding-block-end:.6em;border-block-end:1px solid var(--border)}
ol{list-style:none;margin:0;padding:0}
.th>li{border-block-end:1px solid var(--border);padding-block:.35em}
.k{padding-inline-start:14px;margin-inline-start:17px;border-inline-start:2px solid var(--border)}
article{display:grid;grid-template-columns:34px 1fr;gap:0 .7em;padding:.6em .3em;border-radius:8px}
article>:not(.av){grid-column:2}
.av{grid-row:1/span 4;width:34px;height:34px;border-radius:50%;display:grid;place-items:center;color:#fff;
font-weight:700;font-size:.8em;object-fit:cover}
.hl{background:var(--surface);box-shadow:0 0 0 2px var(--accent)}
header{font-size:.88em}.au{font-weight:700;font-size:1.05em}
.bg,.pd,.nw{font-size:.75em;border-radius:999px;padding:0 .55em;border:1px solid var(--accent);font-weight:600}
.bg{background:var(--accent);color:var(--bg)}.pd{border-color:var(--muted)}.nw{border-color:var(--ok);color:var(--ok)}
.mu,.mu a,.q,.del,.bd blockquote{color:var(--muted)}.mu a,a.mu{text-decoration:none}a.mu:hover{text-decoration:underline}
.bd p,.bd ul,.bd ol,.bd pre,.bd blockquote{margin:.35em 0}
.bd ul,.bd ol{padding-inline-start:1.4em}.bd ul{list-style:disc}.bd ol{list-style:decimal}
.bd blockquote,.q{border-inline-start:3px solid var(--border);margin:.4em 0;padding-inline-start:.7em}
.bd pre{overflow-x:auto;background:var(--surface);padding:.5em;border-radius:6px}.bd img{max-width:100%}
code{font:.9em ui-monospace,monospace}.del{font-style:italic;margin:.3em 0}
button,input,textarea,select{font:inherit;color:inherit;margin:0}
button{background:none;border:1px solid transparent;border-radius:6px;padding:.2em .6em;cursor:pointer;
color:var(--muted);font-size:.9em;font-weight:600;min-height:2em}
button:hover{background:var(--surface);color:var(--fg)}
button[aria-pressed=true]{color:var(--accent);background:var(--surface);border-color:var(--accent)}
button:disabled{opacity:.55;cursor:default}
.pri,.pri:hover{background:var(--accent);color:var(--bg);padding:.45em 1.1em;border-color:var(--accent)}
.big{display:block;width:100%;margin:.7em 0;border-color:var(--border);color:var(--accent);padding:.55em}
.tg{color:var(--accent);padding-inline:.3em;justify-self:start}
.bd.long{max-height:${LONG_PX}px;overflow:hidden;-webkit-mask-image:linear-gradient(#000 70%,transparent);
mask-image:linear-gradient(#000 70%,transparent)}
textarea,input,select{background:var(--bg);border:1px solid var(--border);border-radius:8px;padding:.5em .6em;
width:100%}
textarea:focus,input:focus,select:focus{border-color:var(--accent)}
select{width:auto}textarea{display:block;min-height:5.5em;resize:vertical}
input[type=radio]{width:auto;margin-inline-end:.4em}
.lb{display:block;margin:.4em 0}.lb>span{display:block;font-weight:600;font-size:.9em;margin-block-end:.15em}
fieldset{border:0;padding:0;margin:.4em 0}legend{font-weight:600;padding:0}
.f{margin:.4em 0 .8em;padding:.8em;border:1px solid var(--border);border-radius:10px;background:var(--surface)}
.sm{font-size:.82em;margin:.2em 0}
.er{color:var(--danger);margin:.3em 0}.er:empty{display:none}
.ok{color:var(--ok);font-weight:600;font-size:.9em;margin:.2em 0}.ok:empty{display:none}
.st{position:sticky;top:.5em;z-index:2;margin:.4em 0;padding:.5em .8em;border-radius:8px;background:var(--fg);
color:var(--bg);font-weight:600;font-size:.92em}.st:empty{display:none}
.nu{border:1px solid var(--mark);border-inline-start:4px solid var(--danger);border-radius:8px;padding:.6em .8em;
margin:.5em 0;background:var(--bg)}
.nu ul{padding-inline-start:1.2em;list-style:disc;margin:.3em 0}mark{background:var(--mark);color:inherit;border-radius:2px}
.rf{border:1px solid var(--danger);border-radius:8px;padding:.6em .8em;margin:.5em 0}
.rf summary{cursor:pointer;font-weight:600}.rf code{overflow-wrap:anywhere}
.dock{display:none}
@media (max-width:600px){.w{font-size:15px}.k{padding-inline-start:8px;margin-inline-start:8px}
article{grid-template-columns:28px 1fr}.av{width:28px;height:28px}
.dock{display:block;position:sticky;bottom:0;z-index:2;padding:.5em 0;background:var(--bg);
border-block-start:1px solid var(--border)}.dock .pri{width:100%}}
:focus-visible{outline:2px solid var(--accent);outline-offset:2px}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}`;

function shadow(host) {
  const root = host.attachShadow({mode: "open"});
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS); // constructed sheets are not blocked by a host page's style-src CSP
    root.adoptedStyleSheets = [sheet];
  } catch (e) { root.append(h("style", {textContent: CSS})) }
  return root;
}

// ---- status: visible for a few seconds, and announced to screen readers -------------------
function say(S, text) {
  S.el.status.textContent = text;
  clearTimeout(S.statusTimer);
  S.statusTimer = setTimeout(() => { S.el.status.textContent = "" }, 6000);
}

// ---- editor: new comment, reply, or edit; handles errors and the nudge -------------------
function editor(S, o) {
  const id = "e" + ++uid;
  const text = h("textarea", {rows: 4, "aria-describedby": id, maxLength: 20000});
  text.value = o.text || "";
  const name = !o.edit && !S.me && h("input", {autocomplete: "nickname", maxLength: 80,
    value: store("name") || ""});
  const err = errorLine();
  const nudge = h("div", {class: "nu", hidden: true});
  const submit = h("button", {type: "submit", class: "pri"}, o.action);
  async function send(anyway) {
    err.textContent = "";
    submit.disabled = true;
    const body = text.value;
    try {
      const r = await o.send(body, name ? name.value : "", anyway);
      if (name) store("name", name.value.trim());
      if (r.result === "nudge") return showNudge(S, nudge, r, body, text, () => send(true));
      nudge.hidden = true;
      say(S, t("result_" + r.result));
      if (r.result === "rejected" && !o.edit) {
        err.replaceChildren(t("result_rejected"), " ", appealLink(r.comment.id));
        return;
      }
      text.value = "";
      o.done(r, body);
    } catch (e) {
      err.textContent = e.message;
      (e.field === "author_name" && name ? name : text).focus();
    } finally { submit.disabled = false }
  }
  const form = h("form", {class: "f", noValidate: true, onsubmit: e => { e.preventDefault(); send(false) }},
    field(o.label, text), h("p", {class: "sm mu", id}, t("markdown_hint")), name && field(t("your_name"), name),
    err, nudge, h("div", {class: "row"}, submit, o.cancel && btn(t("cancel"), o.cancel)));
  form.text = text;
  return form;
}

// The words that triggered the nudge, highlighted in the reader's own text, and one plain
// sentence per reason; the model's scores stay with the moderators.
function highlighted(body, reasons) {
  const chars = [...body], quote = h("blockquote", {class: "q"});
  const spans = reasons.flatMap(x => x.spans).sort((a, b) => a.start - b.start);
  let at = 0;
  for (const s of spans) {
    const start = Math.max(s.start, at);
    if (s.end <= start) continue;
    quote.append(chars.slice(at, start).join(""), h("mark", {}, chars.slice(start, s.end).join("")));
    at = s.end;
  }
  quote.append(chars.slice(at).join(""));
  return quote;
}
function plainReasons(reasons) {
  const sentences = reasons.flatMap(x => (x.labels && x.labels.length ? x.labels : [x.rule])
    .map(key => MSG["nudge_" + key] || EN["nudge_" + key] ? t("nudge_" + key) : t("nudge_other")));
  return [...new Set(sentences)];
}
function showNudge(S, nudge, r, body, text, postAnyway) {
  const edit = btn(t("nudge_edit"), () => { nudge.hidden = true; text.focus() }, "pri");
  nudge.replaceChildren(h("p", {}, h("strong", {}, t("nudge_title"))),
    h("ul", {}, plainReasons(r.reasons).map(s => h("li", {}, s))), highlighted(body, r.reasons),
    h("p", {class: "sm mu"}, t("nudge_help")), h("div", {class: "row"}, edit, btn(t("nudge_post_anyway"), postAnyway)));
  nudge.hidden = false;
  say(S, t("nudge_title"));
  edit.focus();
}

const postTo = (S, parent) => (body, author_name, post_anyway) => api("/comments", "POST",
  {site: SITE, url: S.url, title: S.title, body, author_name, parent, post_anyway});

async function posted(S, r, body) {
  S.own[r.comment.id] = [body, Date.now()];
  saveOwn(S);
  if (r.result === "approved" && !S.liveOpen) setCount(S, S.count + 1); // else thread.count arrives live
  S.fresh = S.fresh.filter(c => c.id !== r.comment.id); // our own comment may have come live first
  freshLabel(S);
  let n = place(S, r.comment, !r.comment.parent && S.el.sort.value === "newest");
  if (!n && r.comment.parent) { // a reply below the indentation cap: open its sub-thread
    await focusOn(S, r.comment.parent);
    n = place(S, r.comment);
  }
  if (n) { n.li.scrollIntoView({block: "nearest"}); n.art.focus() }
}
function renderTop(S) {
  S.el.dock.hidden = S.closed;
  S.el.top.replaceChildren(S.closed ? h("p", {class: "mu"}, t("closed")) :
    editor(S, {label: t("join"), action: t("post_comment"), send: postTo(S, null), done: (r, b) => posted(S, r, b)}));
}
const saveOwn = S => store("own", S.own);

// ---- comments: placing, filling, updating --------------------------------------------------
function setCount(S, n) {
  S.count = n;
  S.el.heading.textContent = tn("comments", n);
  liveCount(S.url, n);
}

function place(S, c, atTop) {
  if (S.byId.has(c.id)) { update(S, c); return S.byId.get(c.id) }
  const parent = c.parent && S.byId.get(c.parent);
  if (c.depth > S.base && !parent) return null; // its parent is not on the page
  if (parent && c.depth - S.base >= MAXD) { cont(S, parent); return null }
  if (c.deleted && !c.reply_count) return null; // nothing left to show
  const n = {c, li: h("li", {id: "agora-comment-" + c.id}), art: h("article", {tabIndex: -1}),
    slot: h("div"), kids: h("ol", {class: "k"}), extra: h("div", {class: "row"}), err: errorLine(),
    note: h("p", {class: "ok"})};
  n.li.dataset.id = c.id;
  n.li.append(n.art, n.slot, n.kids, n.extra);
  S.byId.set(c.id, n);
  fill(S, n);
  const into = parent ? parent.kids : S.el.list;
  if (atTop) into.prepend(n.li);
  else into.insertBefore(n.li, parent ? [...into.children].find(li => +li.dataset.id > c.id) || null : null);
  if (parent) repliesToggle(S, parent);
  if (c.reply_count && c.depth - S.base === MAXD - 1) cont(S, n);
  else if (c.hidden_replies > 0) {
    n.moreBtn = n.extra.appendChild(btn(tn("more_replies", c.hidden_replies), () => replies(S, c.id, 0)));
  }
  return n;
}

function fill(S, n) {
  const c = n.c, mine = !!S.own[c.id], focused = S.root.activeElement;
  const key = n.art.contains(focused) && focused.dataset.k;
  const nameId = "a" + c.id, bar = h("div", {class: "ac"});
  let body = h("p", {class: "del"}, t("deleted"));
  if (!c.deleted) { body = h("div", {class: "bd"}); body.innerHTML = c.html } // sanitised by the server
  if (!c.deleted) {
    if (c.status === "approved") {
      bar.append(...voteButtons(S, n, mine));
      if (!S.closed) bar.append(btn(t("reply"), () => reply(S, n), "", "reply"));
    }
    if (mine) bar.append(btn(t("edit"), () => edit(S, n), "", "edit"), btn(t("delete"), () => remove(S, n), "", "del"));
    else if (c.status === "approved") {
      const reported = (store("flags") || []).includes(c.id);
      bar.append(h("button", {type: "button", "data-k": "flag", disabled: reported,
        onclick: () => flag(S, n)}, reported ? t("reported") : t("report")));
    }
  }
  if (!c.deleted) foldLong(n, body, bar);
  for (const b of bar.children) b.setAttribute("aria-describedby", nameId);
  const isNew = !!S.lastVisit && !mine && !c.deleted && Date.parse(c.created) > S.lastVisit;
  n.art.setAttribute("aria-labelledby", nameId);
  n.art.replaceChildren(c.deleted ? h("span", {class: "av", "aria-hidden": "true"}) : avatar(c.author),
    h("header", {},
      h("span", {class: "au", id: nameId}, c.deleted ? t("deleted_author") : c.author.name),
      !c.deleted && c.author.badge && h("span", {class: "bg"}, c.author.badge === "staff" ? t("badge_staff") : c.author.badge),
      h("a", {class: "mu", href: "#agora-comment-" + c.id}, stamp(c.created)),
      c.edited && !c.deleted && h("span", {class: "mu"}, t("edited")),
      isNew && h("span", {class: "nw"}, t("new")),
      c.status === "pending" && h("span", {class: "pd"}, t("awaiting_review")),
      c.status === "pending" && mine && appealLink(c.id)), body, bar, n.note, n.err);
  if (key) n.art.querySelector(`[data-k="${key}"]`)?.focus();
}

// A very long comment shows its first lines with "Read more", once the browser has laid it out.
function foldLong(n, body, bar) {
  requestAnimationFrame(() => {
    if (n.expanded || body.scrollHeight <= LONG_PX * 1.3) return;
    body.classList.add("long");
    const more = btn(t("read_more"), () => {
      n.expanded = !body.classList.toggle("long");
      more.textContent = t(n.expanded ? "read_less" : "read_more");
      more.setAttribute("aria-expanded", String(n.expanded));
    }, "tg");
    more.setAttribute("aria-expanded", "false");
    bar.before(more);
  });
}

// "N replies" toggles: hide or show a comment's replies.
function repliesToggle(S, n) {
  const shown = n.kids.children.length;
  if (!n.toggle) {
    n.toggle = btn("", () => {
      n.kids.hidden = !n.kids.hidden;
      repliesToggle(S, n);
    }, "tg");
    n.li.insertBefore(n.toggle, n.kids);
  }
  n.toggle.hidden = !shown;
  n.toggle.setAttribute("aria-expanded", String(!n.kids.hidden));
  n.toggle.textContent = (n.kids.hidden ? "▸ " : "▾ ") + tn(n.kids.hidden ? "show_replies" : "hide_replies", shown);
}

function update(S, c) {
  const n = S.byId.get(c.id);
  if (!n) return;
  n.c = {...n.c, ...c};
  const gone = c.status === "rejected" || (c.status === "pending" && !S.own[c.id]) || n.c.deleted;
  if (gone && !n.kids.children.length) {
    const parent = n.c.parent && S.byId.get(n.c.parent);
    n.li.remove();
    S.byId.delete(c.id);
    if (parent) repliesToggle(S, parent);
  } else {
    if (gone) n.c.deleted = true; // a placeholder keeps the replies in place
    fill(S, n);
  }
}

const cont = (S, n) => { n.cont ||= n.extra.appendChild(btn(t("continue_thread"), () => focusOn(S, n.c.id))) };

// ---- votes: click again to take a vote back, the other arrow to switch; counts move at once ----
function voteButtons(S, n, mine) {
  return [1, -1].map(value => {
    const c = n.c, up = value > 0, total = up ? c.upvotes : c.downvotes;
    return h("button", {type: "button", "data-k": up ? "up" : "down", disabled: mine,
      "aria-pressed": String(S.votes[c.id] === value),
      "aria-label": t(up ? "upvote_label" : "downvote_label", {count: num(total)}),
      onclick: () => vote(S, n, S.votes[c.id] === value ? 0 : value)}, (up ? "▲ " : "▼ ") + num(total));
  });
}
async function vote(S, n, value) {
  const c = n.c, before = S.votes[c.id] || 0, shown = {upvotes: c.upvotes, downvotes: c.downvotes};
  n.err.textContent = "";
  const tally = {...shown};
  if (before > 0) tally.upvotes--; else if (before < 0) tally.downvotes--;
  if (value > 0) tally.upvotes++; else if (value < 0) tally.downvotes++;
  S.votes[c.id] = value; // before the answer: a live vote event may come first
  update(S, {id: c.id, ...tally});
  try {
    update(S, await api(`/comments/${c.id}/votes`, "POST", {value}));
    store("votes", S.votes);
    say(S, t(value > 0 ? "voted_up" : value < 0 ? "voted_down" : "vote_removed"));
  } catch (e) {
    S.votes[c.id] = before;
    update(S, {id: c.id, ...shown});
    n.err.textContent = e.message;
  }
}

// ---- loading -------------------------------------------------------------------------------
function reset(S) {
  S.byId.clear();
  S.el.list.replaceChildren();
  S.fresh = [];
  S.el.fresh.hidden = true;
}

async function load(S, offset, full) {
  S.el.loadErr.textContent = "";
  const q = new URLSearchParams({site: SITE, url: S.url, sort: S.el.sort.value, offset});
  if (full) q.set("full", "true");
  // The reader's own comments awaiting review; only asked for by readers who posted lately.
  if (!offset && Object.keys(S.own).length) q.set("own", "true");
  try {
    const j = await api("/threads?" + q);
    if (!offset) {
      reset(S);
      S.base = 0;
      S.el.back.hidden = true;
      const wasClosed = S.closed;
      S.closed = !!(j.article && j.article.is_closed);
      setCount(S, j.article ? j.article.comment_count : 0);
      if (!S.el.top.firstChild || wasClosed !== S.closed) renderTop(S); // keep a draft across re-sorts
    }
    j.comments.forEach(c => place(S, c));
    (j.own_pending || []).forEach(c => place(S, c));
    S.next = j.next_offset;
    S.el.more.hidden = S.next == null;
  } catch (e) {
    S.el.loadErr.textContent = e.message;
    if (e.status === 0) diagnose(S);
  }
}
// A browser hides why a cross-origin call failed. A plain request (no preflight) gets the
// refusal itself, which the server makes readable, when the page's origin is not allowed.
function diagnose(S) {
  fetch(API + "/api/v1/threads?" + new URLSearchParams({site: SITE, url: S.url})).then(r => r.json())
    .then(j => { if (j.code === "origin_not_allowed") refused(S, j) }).catch(() => { /* truly unreachable */ });
}

async function replies(S, id, offset) {
  const n = S.byId.get(id);
  try {
    const j = await api(`/comments/${id}/replies?offset=${offset}&limit=100`);
    j.comments.forEach(c => place(S, c));
    n.moreBtn?.remove();
    if (j.next_offset != null) n.moreBtn = n.extra.appendChild(btn(t("more_replies_again"),
      () => replies(S, id, j.next_offset)));
    say(S, tn("replies_loaded", j.comments.length));
  } catch (e) { n.err.textContent = e.message }
}

async function focusOn(S, id) {
  try {
    const c = await api("/comments/" + id);
    reset(S);
    S.base = c.depth;
    S.el.more.hidden = true;
    S.el.back.hidden = false;
    place(S, c);
    await replies(S, id, 0);
    S.byId.get(id).art.focus();
  } catch (e) { S.el.loadErr.textContent = e.message }
}

// ---- actions: reply, edit, delete, report ----------------------------------------------------
function inSlot(S, n, form) {
  form.onkeydown = e => { if (e.key === "Escape") closeSlot(S, n)() }; // Escape cancels, like Cancel
  n.slot.replaceChildren(form);
  (form.text || form.querySelector("input,textarea")).focus();
}
const closeSlot = (S, n) => () => { n.slot.replaceChildren(); n.art.focus() };

function reply(S, n) {
  if (n.slot.firstChild?.reply) return n.slot.firstChild.text.focus();
  const form = editor(S, {label: t("reply_to", {name: n.c.author.name}), action: t("post_reply"),
    send: postTo(S, n.c.id), cancel: closeSlot(S, n),
    done: (r, body) => { n.slot.replaceChildren(); posted(S, r, body) }});
  form.reply = true;
  inSlot(S, n, form);
}

function forget(S, n, e) {
  n.err.textContent = e.message;
  if (e.code === "edit_window_closed") { delete S.own[n.c.id]; saveOwn(S); fill(S, n); n.art.focus() }
}

function edit(S, n) {
  const id = n.c.id, text = S.own[id][0];
  inSlot(S, n, editor(S, {label: t("edit_label"), action: t("save"), text, edit: true, cancel: closeSlot(S, n),
    send: body => api("/comments/" + id, "PATCH", {body}).catch(e => { forget(S, n, e); throw e }),
    done: (r, body) => {
      S.own[id][0] = body;
      saveOwn(S);
      n.slot.replaceChildren();
      update(S, r.comment);
      if (S.byId.has(id)) n.art.focus();
    }}));
}

async function remove(S, n) {
  if (!confirm(t("delete_confirm"))) return;
  try {
    const parent = n.c.parent && S.byId.get(n.c.parent), counted = n.c.status === "approved";
    update(S, await api("/comments/" + n.c.id, "DELETE"));
    if (counted && !S.liveOpen) setCount(S, S.count - 1); // else thread.count arrives live
    delete S.own[n.c.id];
    saveOwn(S);
    say(S, t("deleted_status"));
    if (S.byId.has(n.c.id)) { fill(S, n); n.art.focus() } else (parent ? parent.art : S.el.heading).focus();
  } catch (e) { forget(S, n, e) }
}

function flag(S, n) {
  const group = "r" + ++uid, err = errorLine();
  const why = h("textarea", {rows: 2, maxLength: 2000});
  const form = h("form", {class: "f", noValidate: true, onsubmit: async e => {
    e.preventDefault();
    const reason = form.querySelector("input:checked")?.value;
    err.textContent = !reason ? t("report_choose") : "";
    if (err.textContent) return;
    try {
      await api(`/comments/${n.c.id}/flags`, "POST", {reason, explanation: why.value});
      store("flags", [...(store("flags") || []), n.c.id].slice(-500));
      closeSlot(S, n)();
      fill(S, n);
      n.note.textContent = t("report_thanks");
      say(S, t("report_thanks"));
      n.err.textContent = "";
    } catch (x) { err.textContent = x.message }
  }}, h("fieldset", {}, h("legend", {}, t("report_question")),
    REASONS.map(value => h("label", {class: "row"}, h("input", {type: "radio", name: group, value}),
      t("reason_" + value)))),
  field(t("report_explanation"), why), err,
  h("a", {href: `${API}/dsa/notice?comment=${n.c.id}`, target: "_blank"}, t("report_notice_link")),
  h("div", {class: "row"}, h("button", {type: "submit", class: "pri"}, t("report_send")),
    btn(t("cancel"), closeSlot(S, n))));
  inSlot(S, n, form);
}

// ---- accounts (the auth endpoints are optional: a 404 hides the login) -------------------
function renderAcct(S) {
  const [before, after] = t("signed_in_as").split("{name}");
  S.el.acct.replaceChildren(...S.me ? [h("span", {}, before, h("strong", {}, S.me.name), after),
    btn(t("log_out"), () => logout(S))] : S.authOK ? [btn(t("log_in"), () => showLogin(S))] : []);
}
function signedIn(S, r) {
  if (!S.me) store("anon", store("token"));
  setToken(r.reader_token);
  S.me = r.user;
  renderAcct(S);
  renderTop(S);
  load(S, 0);
  say(S, t("signed_in_status", {name: S.me.name}));
}
async function logout(S) {
  try { await api("/auth/logout", "POST") } catch (e) { /* signed out locally anyway */ }
  setToken(store("anon"));
  store("anon", null);
  S.me = null;
  renderAcct(S);
  renderTop(S);
  load(S, 0);
  say(S, t("signed_out"));
}
function showLogin(S) {
  let signup = false;
  const email = h("input", {type: "email", autocomplete: "email"});
  const pass = h("input", {type: "password", autocomplete: "current-password"});
  const display = h("input", {autocomplete: "nickname", maxLength: 80});
  const displayField = field(t("display_name"), display), err = errorLine();
  const submit = h("button", {type: "submit", class: "pri"}, t("log_in"));
  displayField.hidden = true;
  const toggle = btn(t("create_account"), () => {
    signup = !signup;
    displayField.hidden = !signup;
    submit.textContent = signup ? t("create_account_submit") : t("log_in");
    toggle.textContent = signup ? t("have_account") : t("create_account");
  });
  S.el.acct.replaceChildren(h("form", {class: "f", noValidate: true, onsubmit: async e => {
    e.preventDefault();
    err.textContent = "";
    try {
      const body = {site: SITE, email: email.value, password: pass.value};
      if (signup) body.display_name = display.value;
      const r = await api("/auth/" + (signup ? "signup" : "login"), "POST", body);
      if (r.reader_token) signedIn(S, r);
      else err.textContent = r.message || t("check_email");
    } catch (x) { err.textContent = x.message }
  }}, field(t("email"), email), field(t("password"), pass), displayField, err,
  h("div", {class: "row"}, submit, toggle, btn(t("cancel"), () => renderAcct(S)))));
  email.focus();
}
async function whoAmI(S) {
  const sso = S.host.dataset.ssoToken;
  try {
    if (sso && store("sso") !== sso) {
      store("sso", sso);
      return signedIn(S, await api("/auth/sso", "POST", {site: SITE, token: sso}));
    }
    S.me = (await api("/auth/me?site=" + encodeURIComponent(SITE))).user || null;
  } catch (e) { S.authOK = e.status !== 404 }
  if (S.me || !S.authOK) { // else keep the "Log in" already shown (or the form a reader opened)
    renderAcct(S);
    renderTop(S);
  }
}

// ---- live updates, new-comment button, permalinks ----------------------------------------
function freshLabel(S) {
  S.el.fresh.textContent = tn("show_new", S.fresh.length);
  S.el.fresh.hidden = !S.fresh.length;
}
function showFresh(S) {
  const shown = S.fresh.map(c => place(S, c, S.el.sort.value === "newest")).filter(Boolean);
  S.fresh = [];
  S.el.fresh.hidden = true;
  say(S, tn("new_shown", shown.length));
  shown[0]?.art.focus();
}
function live(S) {
  if (!window.EventSource || S.refused) return;
  const source = new EventSource(API + "/live/threads?" + new URLSearchParams({site: SITE, url: S.url}));
  const on = (name, handle) => source.addEventListener(name, e => {
    try { handle(JSON.parse(e.data)) } catch (x) { /* ignore a malformed event */ }
  });
  on("comment.created", c => {
    if (S.byId.has(c.id) || S.fresh.some(f => f.id === c.id) || c.status !== "approved" || S.base) return;
    S.fresh.push(c);
    freshLabel(S);
  });
  for (const name of ["comment.updated", "comment.deleted", "comment.votes"]) on(name, c => update(S, c));
  on("thread.count", j => setCount(S, j.comment_count));
  source.onopen = () => { S.liveOpen = true };
  source.onerror = () => { // reconnects by itself; an absent endpoint closes it for good
    S.liveOpen = false;
    if (source.readyState === 2) source.close();
  };
}
async function jump(S) {
  const id = +(/^#agora-comment-(\d+)$/.exec(location.hash) || [])[1];
  if (!id) return;
  if (!S.byId.has(id)) await load(S, 0, true);
  if (!S.byId.has(id)) { // deeper than the indentation cap, or not in this thread at all
    const c = await api("/comments/" + id).catch(() => null);
    if (c && c.depth >= MAXD) await focusOn(S, id);
  }
  const n = S.byId.get(id);
  if (!n) return;
  for (const other of S.root.querySelectorAll(".hl")) other.classList.remove("hl");
  n.art.classList.add("hl");
  n.li.scrollIntoView({block: "center"});
  n.art.focus({preventScroll: true});
}

// ---- refusals: an origin the site does not allow is told to the site's owner ------------
function refused(S, j) {
  if (S.refused) return;
  S.refused = true;
  const origin = j.origin || location.origin;
  console.error(`Agora: ${j.message}` + (j.fix ? ` ${j.fix}` : ""));
  S.el.loadErr.textContent = "";
  S.el.top.replaceChildren(h("div", {class: "rf", role: "alert"}, h("p", {}, t("refused_reader")),
    h("details", {}, h("summary", {}, t("refused_staff_title")),
      h("p", {}, t("refused_staff", {origin, site: j.site || SITE})),
      j.admin_url && h("p", {}, h("a", {href: j.admin_url, target: "_blank", rel: "noopener"}, t("refused_open_admin"))),
      h("p", {class: "sm mu"}, h("code", {}, `agora check --site ${j.site || SITE} --origin ${origin}`)))));
  S.el.dock.hidden = true;
}

// ---- mount: the shared state and the frame every part draws into -------------------------
function widget(host) {
  if (host.shadowRoot) return;
  const url = host.dataset.url || D.querySelector("link[rel=canonical]")?.href || location.href.split("#")[0];
  host.replaceChildren(); // the server-rendered fallback gives way to the live thread
  const own = store("own") || {};
  for (const id in own) if (Date.now() - own[id][1] > 864e5) delete own[id];
  const visits = store("visits") || {};
  const S = {host, root: shadow(host), url, title: host.dataset.title || D.title, own, votes: store("votes") || {},
    byId: new Map(), base: 0, next: null, me: null, authOK: true, closed: false, fresh: [], liveOpen: false,
    count: 0, lastVisit: visits[url] || 0, refused: false, statusTimer: 0, el: {}};
  visits[url] = Date.now();
  store("visits", Object.fromEntries(Object.entries(visits).sort((a, b) => b[1] - a[1]).slice(0, 200)));
  onRefusal = j => refused(S, j);

  const E = S.el;
  E.status = h("p", {class: "st", role: "status", "aria-live": "polite"});
  E.heading = h("h2", {tabIndex: -1}, t("comments_heading"));
  E.sort = h("select", {onchange: () => load(S, 0)}, SORTS.map(s => h("option", {value: s}, t("sort_" + s))));
  E.acct = h("div", {class: "row"});
  E.top = h("div");
  E.back = btn(t("back_to_all"), () => load(S, 0), "big");
  E.fresh = btn("", () => showFresh(S), "big");
  E.list = h("ol", {class: "th", "aria-label": t("comments_heading")});
  E.more = btn(t("load_more"), () => load(S, S.next), "big");
  E.loadErr = errorLine();
  E.dock = h("div", {class: "dock"}, btn(t("write_comment"), () => {
    const text = E.top.querySelector("textarea");
    if (!text) return;
    text.scrollIntoView({block: "center"});
    text.focus();
  }, "pri"));
  E.back.hidden = E.fresh.hidden = E.more.hidden = true;
  const frame = h("section", {class: "w", "aria-label": t("comments_heading"), lang: LANG},
    h("div", {class: "top"}, E.heading, h("label", {class: "row"}, t("sort_by"), E.sort)), E.acct, E.status,
    E.top, E.loadErr, E.back, E.fresh, E.list, E.more, E.dock);
  if (RTL.includes(LANG.split("-")[0].toLowerCase())) frame.dir = "rtl";
  S.root.append(frame);
  setInterval(() => refreshTimes(S.root), 30000);

  renderAcct(S);
  load(S, 0).then(() => jump(S)).then(() => whoAmI(S)).then(() => live(S));
  addEventListener("hashchange", () => jump(S));
}

async function start() {
  await loadLanguage();
  const host = D.getElementById("agora-comments");
  if (host) widget(host);
  counts();
}
if (D.readyState === "loading") D.addEventListener("DOMContentLoaded", start);
else start();
})();
