/* Agora reader widget. Embed with
 *   <div id="agora-comments"></div>
 *   <script src="https://agora.example/embed.js" data-site="SLUG" async></script>
 * Dependency-free; renders in a shadow root. Comment HTML comes sanitised from the server;
 * every other text (names, messages, titles) is set with text nodes only. */
(() => {
"use strict";
const D = document, script = D.currentScript || D.querySelector("script[data-site][src*='embed.js']");
if (!script) return;
const API = new URL(script.src, location.href).origin, SITE = script.dataset.site, MAXD = 6;
const SORTS = ["oldest", "newest", "top", "controversial"];
const REASONS = [["abusive", "Abusive or hateful"], ["spam", "Spam"], ["off_topic", "Off-topic"]];
const HINT = "Markdown: *italic*, **bold**, [link](https://…), > quote, `code`, - list";

// localStorage when the browser allows it, memory otherwise (blocked storage, private modes).
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

// h("tag", {prop or attribute or onEvent}, ...children): strings become text nodes, never HTML.
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
const field = (label, control) => h("label", {class: "lb"}, h("span", {}, label), control);
const plural = n => n + (n === 1 ? " comment" : " comments");
// The statement of reasons of the reader's own held or removed comment, where they can appeal. The
// tab opens during the click (no popup blocker), then goes to the link the API signs for the author.
const appealLink = id => h("a", {href: "#", class: "mu", onclick: async e => {
  e.preventDefault();
  const tab = open("", "_blank");
  try {
    const url = (await api(`/dsa/comments/${id}/statement`)).url;
    if (tab) tab.location = url; else location.assign(url); // a blocked popup: this tab
  } catch (x) { tab?.close() }
}}, "Why? / Appeal");
let uid = 0;

// The reader token identifies this browser's reader; a login replaces it with an account token.
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

async function api(path, method, body) {
  let response;
  try {
    const headers = {"X-Agora-Reader": await token()};
    if (body) headers["Content-Type"] = "application/json";
    if (path === "/comments") headers["Idempotency-Key"] = crypto.randomUUID?.() || Date.now() + "-" + Math.random();
    response = await fetch(API + "/api/v1" + path, {method: method || "GET", headers,
      body: body && JSON.stringify(body)});
  } catch (e) {
    throw Object.assign(new Error("The comment server cannot be reached. Try again in a moment."), {status: 0});
  }
  const json = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw Object.assign(new Error(json.message || "The comment server answered " + response.status + "."),
      {status: response.status, code: json.code, field: json.field});
  }
  return json;
}

// Comment counts for every element with data-agora-count-url, in one request.
function counts() {
  const els = [...D.querySelectorAll("[data-agora-count-url]")];
  const abs = el => new URL(el.dataset.agoraCountUrl, location.href).href;
  if (!els.length) return;
  api("/counts", "POST", {site: SITE, urls: [...new Set(els.map(abs))].slice(0, 200)}).then(j => {
    for (const el of els) if (abs(el) in j.counts) el.textContent = plural(j.counts[abs(el)]);
  }).catch(() => { /* keep the server-rendered text */ });
}

const PALETTE = {bg: ["#fff", "#17181a"], fg: ["#1b1b1b", "#e8eaed"], muted: ["#5c6066", "#a9adb2"],
  accent: ["#0b57d0", "#8ab4f8"], border: ["#c4c8cd", "#4a4d51"], surface: ["#f2f4f6", "#25272b"],
  mark: ["#ffe08a", "#6b5300"], danger: ["#b3261e", "#f2b8b5"]};
const vars = dark => Object.entries(PALETTE).map(([k, v]) =>
  `--${k}:var(--agora-${dark ? "dark-" : ""}${k},${v[+dark]})`).join(";");
const CSS = `:host{display:block!important}
.w{all:initial;display:block;${vars(0)};background:var(--bg);color:var(--fg);text-align:left;
padding:.5em;font:15px/1.5 var(--agora-font,system-ui,-apple-system,"Segoe UI",Roboto,sans-serif);overflow-wrap:anywhere}
:host([data-theme=dark]) .w{${vars(1)}}
@media (prefers-color-scheme:dark){:host(:not([data-theme=light])) .w{${vars(1)}}}
*{box-sizing:border-box}[hidden]{display:none!important}
h2{font-size:1.3em;margin:0}a{color:var(--accent)}
.top,.ac,.row,header{display:flex;flex-wrap:wrap;gap:.3em .6em;align-items:center}
.top{justify-content:space-between;margin-bottom:.6em}
ol{list-style:none;margin:0;padding:0}
.k{padding-left:10px;margin-left:5px;border-left:2px solid var(--border)}
article{padding:.5em .3em;border-radius:6px}
.hl{background:var(--surface);box-shadow:0 0 0 2px var(--accent)}
header{font-size:.9em}.au{font-weight:600}
.bg,.pd{font-size:.75em;border-radius:3px;padding:0 .4em;border:1px solid var(--accent)}
.bg{background:var(--accent);color:var(--bg)}.pd{border-color:var(--muted)}
.mu,.mu a,.q,.del,.bd blockquote{color:var(--muted)}
.bd p,.bd ul,.bd ol,.bd pre,.bd blockquote{margin:.4em 0}
.bd ul,.bd ol{padding-left:1.4em}.bd ul{list-style:disc}.bd ol{list-style:decimal}
.bd blockquote,.q{border-left:3px solid var(--border);margin:.4em 0;padding-left:.7em}
.bd pre{overflow-x:auto;background:var(--surface);padding:.5em}.bd img{max-width:100%}
code{font:.9em ui-monospace,monospace}.del{font-style:italic;margin:.4em 0}
button,input,textarea,select{font:inherit;color:inherit;margin:0}
button{background:none;border:1px solid transparent;border-radius:4px;padding:.25em .55em;cursor:pointer;
color:var(--accent)}
button:hover{background:var(--surface);border-color:var(--border)}
button[aria-pressed=true]{background:var(--accent);color:var(--bg)}
button:disabled{opacity:.55;cursor:default}
.pri,.pri:hover{background:var(--accent);color:var(--bg);padding:.4em 1em}
.big{display:block;width:100%;margin:.6em 0;border-color:var(--accent)}
textarea,input,select{background:var(--bg);border:1px solid var(--border);border-radius:4px;padding:.4em;
width:100%}
select{width:auto}textarea{display:block;min-height:5.5em;resize:vertical}
input[type=radio]{width:auto;margin-right:.4em}
.lb{display:block;margin:.4em 0}.lb>span{display:block;font-weight:600;font-size:.9em}
fieldset{border:0;padding:0;margin:.4em 0}legend{font-weight:600;padding:0}
.f{margin:.4em 0 .8em;padding:.7em;border:1px solid var(--border);border-radius:6px;background:var(--surface)}
.sm{font-size:.82em;margin:.2em 0}
.er{color:var(--danger);margin:.3em 0}.er:empty{display:none}
.nu{border:1px solid var(--danger);border-radius:6px;padding:.5em .7em;margin:.5em 0;background:var(--bg)}
.nu ul{padding-left:1.2em;list-style:disc}mark{background:var(--mark);color:inherit}
:focus-visible{outline:2px solid var(--accent);outline-offset:2px}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}`;

function widget(host) {
  if (host.shadowRoot) return;
  const url = host.dataset.url || D.querySelector("link[rel=canonical]")?.href || location.href.split("#")[0];
  const title = host.dataset.title || D.title;
  host.replaceChildren(); // the server-rendered fallback gives way to the live thread
  const root = host.attachShadow({mode: "open"});
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS); // constructed sheets are not blocked by a host page's style-src CSP
    root.adoptedStyleSheets = [sheet];
  } catch (e) { root.append(h("style", {textContent: CSS})) }

  const own = store("own") || {}, votes = store("votes") || {};
  for (const id in own) if (Date.now() - own[id][1] > 864e5) delete own[id];
  const saveOwn = () => store("own", own);
  const byId = new Map();
  let base = 0, next = null, me = null, authOK = true, closed = false, fresh = [], liveOpen = false;

  const status = h("p", {class: "sr", role: "status", "aria-live": "polite"});
  const say = text => { status.textContent = text };
  const heading = h("h2", {}, "Comments");
  const sort = h("select", {onchange: () => load(0)}, SORTS.map(s => h("option", {value: s},
    s[0].toUpperCase() + s.slice(1))));
  const acct = h("div", {class: "row"});
  const topBox = h("div");
  const back = btn("← Back to the whole discussion", () => load(0), "big");
  const freshBtn = btn("", showFresh, "big");
  const list = h("ol", {class: "th", "aria-label": "Comments"});
  const more = btn("Load more comments", () => load(next), "big");
  const loadErr = h("p", {class: "er", role: "alert"});
  back.hidden = freshBtn.hidden = more.hidden = true;
  root.append(h("section", {class: "w", "aria-label": "Comments"}, status,
    h("div", {class: "top"}, heading, h("label", {class: "row"}, "Sort by", sort)), acct, topBox, loadErr,
    back, freshBtn, list, more));

  // ---- editor: new comment, reply, or edit; handles errors and the nudge -------------------
  function editor(o) {
    const id = "e" + ++uid;
    const text = h("textarea", {rows: 4, "aria-describedby": id, maxLength: 20000});
    text.value = o.text || "";
    const name = !o.edit && !me && h("input", {autocomplete: "nickname", maxLength: 80,
      value: store("name") || ""});
    const err = h("p", {class: "er", role: "alert"});
    const nudge = h("div", {class: "nu", hidden: true});
    const submit = h("button", {type: "submit", class: "pri"}, o.action);
    async function send(anyway) {
      err.textContent = "";
      submit.disabled = true;
      const body = text.value;
      try {
        const r = await o.send(body, name ? name.value : "", anyway);
        if (name) store("name", name.value.trim());
        if (r.result === "nudge") return showNudge(r, body);
        nudge.hidden = true;
        say(r.message);
        if (r.result === "rejected" && !o.edit) { err.replaceChildren(r.message, " ", appealLink(r.comment.id)); return }
        text.value = "";
        o.done(r, body);
      } catch (e) {
        err.textContent = e.message;
        (e.field === "author_name" && name ? name : text).focus();
      } finally { submit.disabled = false }
    }
    function showNudge(r, body) {
      const chars = [...body], quote = h("blockquote", {class: "q"});
      const spans = r.reasons.flatMap(x => x.spans).sort((a, b) => a.start - b.start);
      let at = 0;
      for (const s of spans) {
        const start = Math.max(s.start, at);
        if (s.end <= start) continue;
        quote.append(chars.slice(at, start).join(""), h("mark", {}, chars.slice(start, s.end).join("")));
        at = s.end;
      }
      quote.append(chars.slice(at).join(""));
      const edit = btn("Edit", () => { nudge.hidden = true; text.focus() });
      nudge.replaceChildren(h("p", {}, r.message), h("ul", {}, r.reasons.map(x => h("li", {}, x.message))),
        quote, h("div", {class: "row"}, edit, btn("Post anyway", () => send(true), "pri")));
      nudge.hidden = false;
      say(r.message);
      edit.focus();
    }
    const form = h("form", {class: "f", noValidate: true, onsubmit: e => { e.preventDefault(); send(false) }},
      field(o.label, text), h("p", {class: "sm mu", id}, HINT), name && field("Your name", name), err, nudge,
      h("div", {class: "row"}, submit, o.cancel && btn("Cancel", o.cancel)));
    form.text = text;
    return form;
  }

  const postTo = parent => (body, author_name, post_anyway) => api("/comments", "POST",
    {site: SITE, url, title, body, author_name, parent, post_anyway});
  async function posted(r, body) {
    own[r.comment.id] = [body, Date.now()];
    saveOwn();
    if (r.result === "approved" && !liveOpen) setCount(count + 1); // else thread.count arrives live
    fresh = fresh.filter(c => c.id !== r.comment.id); // our own comment may have come live first
    freshLabel();
    let n = place(r.comment, !r.comment.parent && sort.value === "newest");
    if (!n && r.comment.parent) { // a reply below the indentation cap: open its sub-thread
      await focusOn(r.comment.parent);
      n = place(r.comment);
    }
    if (n) { n.li.scrollIntoView({block: "nearest"}); n.art.focus() }
  }
  function renderTop() {
    topBox.replaceChildren(closed ? h("p", {class: "mu"}, "Comments are closed on this article.") :
      editor({label: "Join the discussion", action: "Post comment", send: postTo(null), done: posted}));
  }

  // ---- thread rendering --------------------------------------------------------------------
  let count = 0;
  const setCount = n => { count = n; heading.textContent = plural(n) };

  function place(c, atTop) {
    if (byId.has(c.id)) { update(c); return byId.get(c.id) }
    const parent = c.parent && byId.get(c.parent);
    if (c.depth > base && !parent) return null; // its parent is not on the page
    if (parent && c.depth - base >= MAXD) { cont(parent); return null }
    const n = {c, li: h("li", {id: "agora-comment-" + c.id}), art: h("article", {tabIndex: -1}),
      slot: h("div"), kids: h("ol", {class: "k"}), extra: h("div", {class: "row"}), err: h("p",
        {class: "er", role: "alert"})};
    n.li.dataset.id = c.id;
    n.li.append(n.art, n.slot, n.kids, n.extra);
    byId.set(c.id, n);
    fill(n);
    const into = parent ? parent.kids : list;
    if (atTop) into.prepend(n.li);
    else into.insertBefore(n.li, parent ? [...into.children].find(li => +li.dataset.id > c.id) || null : null);
    if (c.reply_count && c.depth - base === MAXD - 1) cont(n);
    else if (c.hidden_replies > 0) {
      n.moreBtn = n.extra.appendChild(btn(`Show ${c.hidden_replies} more repl${c.hidden_replies > 1 ? "ies" :
        "y"}`, () => replies(c.id, 0)));
    }
    return n;
  }

  function fill(n) {
    const c = n.c, mine = !!own[c.id], focused = root.activeElement;
    const key = n.art.contains(focused) && focused.dataset.k;
    const nameId = "a" + c.id, bar = h("div", {class: "ac"});
    let body = h("p", {class: "del"}, "This comment was deleted.");
    if (!c.deleted) { body = h("div", {class: "bd"}); body.innerHTML = c.html } // sanitised by the server
    if (!c.deleted) {
      if (c.status === "approved") {
        if (!closed) bar.append(btn("Reply", () => reply(n), "", "reply"));
        bar.append(voteBtn(n, 1, mine), voteBtn(n, -1, mine));
      }
      if (mine) bar.append(btn("Edit", () => edit(n), "", "edit"), btn("Delete", () => remove(n), "", "del"));
      else if (c.status === "approved") bar.append(btn("Report", () => flag(n), "", "flag"));
    }
    for (const b of bar.children) b.setAttribute("aria-describedby", nameId);
    const when = new Date(c.created);
    n.art.setAttribute("aria-labelledby", nameId);
    n.art.replaceChildren(h("header", {},
      h("span", {class: "au", id: nameId}, c.author.name),
      c.author.badge && h("span", {class: "bg"}, c.author.badge === "staff" ? "Staff" : c.author.badge),
      h("a", {class: "mu", href: "#agora-comment-" + c.id}, h("time", {dateTime: c.created},
        when.toLocaleString(undefined, {dateStyle: "medium", timeStyle: "short"}))),
      c.edited && h("span", {class: "mu"}, "edited"),
      c.status === "pending" && h("span", {class: "pd"}, "Awaiting review"), c.status === "pending" && mine && appealLink(c.id)),
      body, bar, n.err);
    if (key) n.art.querySelector(`[data-k="${key}"]`)?.focus();
  }

  function voteBtn(n, value, mine) {
    const c = n.c, label = value > 0 ? "Upvote" : "Downvote", total = value > 0 ? c.upvotes : c.downvotes;
    return h("button", {type: "button", "data-k": label, disabled: mine, "aria-pressed": String(votes[c.id] === value),
      "aria-label": `${label} (${total})`, onclick: async () => {
        n.err.textContent = "";
        const before = votes[c.id];
        votes[c.id] = value; // before the answer: a live vote event may come first
        try {
          update(await api(`/comments/${c.id}/votes`, "POST", {value}));
          store("votes", votes);
          say(label + "d.");
        } catch (e) {
          votes[c.id] = before;
          fill(n);
          n.err.textContent = e.message;
        }
      }}, (value > 0 ? "▲ " : "▼ ") + total);
  }

  function update(c) {
    const n = byId.get(c.id);
    if (!n) return;
    n.c = {...n.c, ...c};
    if (c.status === "rejected" || (c.status === "pending" && !own[c.id])) {
      if (n.kids.children.length) { n.c.deleted = true; fill(n) }
      else { n.li.remove(); byId.delete(c.id) }
    } else fill(n);
  }

  const cont = n => { n.cont ||= n.extra.appendChild(btn("Continue this thread →", () => focusOn(n.c.id))) };

  function reset() {
    byId.clear();
    list.replaceChildren();
    fresh = [];
    freshBtn.hidden = true;
  }

  async function load(offset, full) {
    loadErr.textContent = "";
    const q = new URLSearchParams({site: SITE, url, sort: sort.value, offset});
    if (full) q.set("full", "true");
    // The reader's own comments awaiting review; only asked for by readers who posted lately.
    if (!offset && Object.keys(own).length) q.set("own", "true");
    try {
      const j = await api("/threads?" + q);
      if (!offset) {
        reset();
        base = 0;
        back.hidden = true;
        const wasClosed = closed;
        closed = !!(j.article && j.article.is_closed);
        setCount(j.article ? j.article.comment_count : 0);
        if (!topBox.firstChild || wasClosed !== closed) renderTop(); // keep a draft across re-sorts
      }
      j.comments.forEach(c => place(c));
      (j.own_pending || []).forEach(c => place(c));
      next = j.next_offset;
      more.hidden = next == null;
    } catch (e) { loadErr.textContent = e.message }
  }

  async function replies(id, offset) {
    const n = byId.get(id);
    try {
      const j = await api(`/comments/${id}/replies?offset=${offset}&limit=100`);
      j.comments.forEach(c => place(c));
      n.moreBtn?.remove();
      if (j.next_offset != null) n.moreBtn = n.extra.appendChild(btn("Show more replies", () => replies(id,
        j.next_offset)));
      say(j.comments.length + " replies loaded.");
    } catch (e) { n.err.textContent = e.message }
  }

  async function focusOn(id) {
    try {
      const c = await api("/comments/" + id);
      reset();
      base = c.depth;
      more.hidden = true;
      back.hidden = false;
      place(c);
      await replies(id, 0);
      byId.get(id).art.focus();
    } catch (e) { loadErr.textContent = e.message }
  }

  // ---- actions -----------------------------------------------------------------------------
  function inSlot(n, form) {
    form.onkeydown = e => { if (e.key === "Escape") closeSlot(n)() }; // Escape cancels, like Cancel
    n.slot.replaceChildren(form);
    (form.text || form.querySelector("input,textarea")).focus();
  }
  const closeSlot = n => () => { n.slot.replaceChildren(); n.art.focus() };

  function reply(n) {
    if (n.slot.firstChild?.reply) return n.slot.firstChild.text.focus();
    const form = editor({label: "Reply to " + n.c.author.name, action: "Post reply", send: postTo(n.c.id),
      cancel: closeSlot(n), done: (r, body) => { n.slot.replaceChildren(); posted(r, body) }});
    form.reply = true;
    inSlot(n, form);
  }

  function forget(n, e) {
    n.err.textContent = e.message;
    if (e.code === "edit_window_closed") { delete own[n.c.id]; saveOwn(); fill(n); n.art.focus() }
  }

  function edit(n) {
    const id = n.c.id, text = own[id][0];
    inSlot(n, editor({label: "Edit your comment", action: "Save", text, edit: true, cancel: closeSlot(n),
      send: body => api("/comments/" + id, "PATCH", {body}).catch(e => { forget(n, e); throw e }),
      done: (r, body) => {
        own[id][0] = body;
        saveOwn();
        n.slot.replaceChildren();
        update(r.comment);
        if (byId.has(id)) n.art.focus();
      }}));
  }

  async function remove(n) {
    if (!confirm("Delete this comment?")) return;
    try {
      update(await api("/comments/" + n.c.id, "DELETE"));
      delete own[n.c.id];
      saveOwn();
      fill(n);
      say("Comment deleted.");
      n.art.focus();
    } catch (e) { forget(n, e) }
  }

  function flag(n) {
    const group = "r" + ++uid, err = h("p", {class: "er", role: "alert"});
    const why = h("textarea", {rows: 2, maxLength: 2000});
    const form = h("form", {class: "f", noValidate: true, onsubmit: async e => {
      e.preventDefault();
      const reason = form.querySelector("input:checked")?.value;
      err.textContent = !reason ? "Choose a reason." : "";
      if (err.textContent) return;
      try {
        await api(`/comments/${n.c.id}/flags`, "POST", {reason, explanation: why.value});
        closeSlot(n)();
        say("Thank you. A moderator will review this comment.");
        n.err.textContent = "";
      } catch (x) { err.textContent = x.message }
    }}, h("fieldset", {}, h("legend", {}, "Why should moderators look at this comment?"),
      REASONS.map(([value, label]) => h("label", {class: "row"}, h("input", {type: "radio", name: group, value}),
        label))),
    field("Explanation (optional)", why), err,
    h("a", {href: `${API}/dsa/notice?comment=${n.c.id}`, target: "_blank"}, "Illegal content? Send a legal notice"),
    h("div", {class: "row"}, h("button", {type: "submit", class: "pri"}, "Send report"),
      btn("Cancel", closeSlot(n))));
    inSlot(n, form);
  }

  // ---- accounts (the auth endpoints are optional: a 404 hides the login) -------------------
  function renderAcct() {
    acct.replaceChildren(...me ? [h("span", {}, "Signed in as ", h("strong", {}, me.name)),
      btn("Log out", logout)] : authOK ? [btn("Log in", showLogin)] : []);
  }
  function signedIn(r) {
    if (!me) store("anon", store("token"));
    setToken(r.reader_token);
    me = r.user;
    renderAcct();
    renderTop();
    load(0);
    say("Signed in as " + me.name + ".");
  }
  async function logout() {
    try { await api("/auth/logout", "POST") } catch (e) { /* signed out locally anyway */ }
    setToken(store("anon"));
    store("anon", null);
    me = null;
    renderAcct();
    renderTop();
    load(0);
    say("Signed out.");
  }
  function showLogin() {
    let signup = false;
    const email = h("input", {type: "email", autocomplete: "email"});
    const pass = h("input", {type: "password", autocomplete: "current-password"});
    const display = h("input", {autocomplete: "nickname", maxLength: 80});
    const displayField = field("Display name", display), err = h("p", {class: "er", role: "alert"});
    const submit = h("button", {type: "submit", class: "pri"}, "Log in");
    displayField.hidden = true;
    const toggle = btn("Create an account", () => {
      signup = !signup;
      displayField.hidden = !signup;
      submit.textContent = signup ? "Create account" : "Log in";
      toggle.textContent = signup ? "I have an account" : "Create an account";
    });
    acct.replaceChildren(h("form", {class: "f", noValidate: true, onsubmit: async e => {
      e.preventDefault();
      err.textContent = "";
      try {
        const body = {site: SITE, email: email.value, password: pass.value};
        if (signup) body.display_name = display.value;
        const r = await api("/auth/" + (signup ? "signup" : "login"), "POST", body);
        if (r.reader_token) signedIn(r);
        else err.textContent = r.message || "Check your email to finish creating the account.";
      } catch (x) { err.textContent = x.message }
    }}, field("Email", email), field("Password", pass), displayField, err,
    h("div", {class: "row"}, submit, toggle, btn("Cancel", renderAcct))));
    email.focus();
  }
  async function whoAmI() {
    const sso = host.dataset.ssoToken;
    try {
      if (sso && store("sso") !== sso) {
        store("sso", sso);
        return signedIn(await api("/auth/sso", "POST", {site: SITE, token: sso}));
      }
      me = (await api("/auth/me?site=" + encodeURIComponent(SITE))).user || null;
    } catch (e) { authOK = e.status !== 404 }
    if (me || !authOK) { // else keep the "Log in" already shown (or the form a reader opened)
      renderAcct();
      renderTop();
    }
  }

  // ---- live updates, new-comment button, permalinks ----------------------------------------
  function freshLabel() {
    freshBtn.textContent = `Show ${fresh.length} new comment${fresh.length > 1 ? "s" : ""}`;
    freshBtn.hidden = !fresh.length;
  }
  function showFresh() {
    const shown = fresh.map(c => place(c, sort.value === "newest")).filter(Boolean);
    fresh = [];
    freshBtn.hidden = true;
    say(shown.length + " new comments shown.");
    shown[0]?.art.focus();
  }
  function live() {
    if (!window.EventSource) return;
    const source = new EventSource(API + "/live/threads?" + new URLSearchParams({site: SITE, url}));
    const on = (name, handle) => source.addEventListener(name, e => {
      try { handle(JSON.parse(e.data)) } catch (x) { /* ignore a malformed event */ }
    });
    on("comment.created", c => {
      if (byId.has(c.id) || fresh.some(f => f.id === c.id) || c.status !== "approved" || base) return;
      fresh.push(c);
      freshLabel();
    });
    for (const name of ["comment.updated", "comment.deleted", "comment.votes"]) on(name, update);
    on("thread.count", j => setCount(j.comment_count));
    source.onopen = () => { liveOpen = true };
    source.onerror = () => { // reconnects by itself; an absent endpoint closes it for good
      liveOpen = false;
      if (source.readyState === 2) source.close();
    };
  }
  async function jump() {
    const id = +(/^#agora-comment-(\d+)$/.exec(location.hash) || [])[1];
    if (!id) return;
    if (!byId.has(id)) await load(0, true);
    if (!byId.has(id)) { // deeper than the indentation cap, or not in this thread at all
      const c = await api("/comments/" + id).catch(() => null);
      if (c && c.depth >= MAXD) await focusOn(id);
    }
    const n = byId.get(id);
    if (!n) return;
    for (const other of root.querySelectorAll(".hl")) other.classList.remove("hl");
    n.art.classList.add("hl");
    n.li.scrollIntoView({block: "center"});
    n.art.focus({preventScroll: true});
  }

  renderAcct();
  load(0).then(jump).then(whoAmI).then(live);
  addEventListener("hashchange", jump);
}

function start() {
  const host = D.getElementById("agora-comments");
  if (host) widget(host);
  counts();
}
if (D.readyState === "loading") D.addEventListener("DOMContentLoaded", start);
else start();
})();
