/* Moderation queue: keyboard and one-click moderation without page reloads.
 *
 * j / k   next / previous card        a   approve        r   reject
 * u       undo (focused card, else the last action)       x   select for bulk
 * A / R   approve / reject every selected card            ?   show the keys
 *
 * Each action is a POST with the CSRF token; the card changes at once (optimistic) and is
 * put back if the server refuses. User text is only ever set with textContent.
 */
(function () {
  "use strict";

  var queue = document.getElementById("queue");
  if (!queue) return;
  var announcer = document.getElementById("announce");
  var csrf = (document.querySelector("input[name=csrfmiddlewaretoken]") || {}).value || "";
  var history = [];  // cards acted on, most recent last, for "u"
  // Translated texts from the page (the server renders them in the moderator's language).
  var catalogue = JSON.parse((document.getElementById("queue-messages") || {}).textContent || "{}");
  function t(key, values) {
    var text = catalogue[key] || key;
    return text.replace(/\{(\w+)\}/g, function (whole, name) {
      return values && name in values ? String(values[name]) : whole;
    });
  }
  function statusName(status) { return t("status_" + status); }

  function cards() { return Array.prototype.slice.call(queue.querySelectorAll(".card")); }
  function current() {
    var active = document.activeElement;
    return active && active.closest ? active.closest(".card") : null;
  }
  function announce(text) {
    announcer.textContent = "";
    window.setTimeout(function () { announcer.textContent = text; }, 30);
  }
  function focusCard(card) {
    if (!card) return;
    card.focus({ preventScroll: true });
    card.scrollIntoView({ block: "nearest" });
  }
  function move(step) {
    var list = cards();
    var index = list.indexOf(current());
    var next = list[Math.min(Math.max(index + step, 0), list.length - 1)];
    focusCard(next || list[0]);
  }
  // After an action the moderator goes on with the next card that still needs a decision.
  function nextOpen(card) {
    var list = cards();
    for (var i = list.indexOf(card) + 1; i < list.length; i++) {
      if (!list[i].classList.contains("decided")) return list[i];
    }
    return list[list.indexOf(card) + 1] || card;
  }

  function setStatus(card, status) {
    card.dataset.status = status;
    var label = card.querySelector(".status");
    if (label) label.textContent = statusName(status);
    card.classList.toggle("decided", status !== card.dataset.queueStatus);
  }

  function adjustCount(status, delta) {
    var tab = document.querySelector('.tabs [data-queue="' + status + '"] .count');
    if (tab) tab.textContent = String(Math.max(0, parseInt(tab.textContent, 10) + delta));
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf, "Accept": "application/json" },
      body: body,
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) throw new Error(data.message || t("server_answered", { status: response.status }));
        return data;
      });
    });
  }

  function act(card, action) {
    if (!card || card.classList.contains("busy")) return;
    var before = card.dataset.status;
    var optimistic = action === "approve" ? "approved" : action === "reject" ? "rejected" : null;
    if (optimistic) {
      setStatus(card, optimistic);
      adjustCount(before, -1);
      adjustCount(optimistic, +1);
      focusCard(nextOpen(card));
    }
    card.classList.add("busy");
    post(card.dataset.actionUrl.replace("ACTION", action), new FormData())
      .then(function (data) {
        if (!optimistic) {
          adjustCount(before, -1);
          adjustCount(data.status, +1);
        }
        setStatus(card, data.status);
        if (action === "undo") {
          history = history.filter(function (c) { return c !== card; });
        } else {
          history.push(card);
        }
        announce(t("decided", { author: card.dataset.author, status: statusName(data.status) }));
      })
      .catch(function (error) {
        if (optimistic) {
          setStatus(card, before);
          adjustCount(optimistic, -1);
          adjustCount(before, +1);
        }
        announce(t("not_saved", { error: error.message }));
        card.classList.add("failed");
      })
      .finally(function () { card.classList.remove("busy"); });
  }

  function undo() {
    var card = current();
    if (!card || history.indexOf(card) < 0) card = history[history.length - 1];
    if (!card) { announce(t("nothing_to_undo")); return; }
    focusCard(card);
    act(card, "undo");
  }

  function toggleSelect(card) {
    if (!card) return;
    var box = card.querySelector("input.select");
    box.checked = !box.checked;
    card.classList.toggle("selected", box.checked);
    announce(t(box.checked ? "selected" : "unselected", { count: selected().length }));
  }
  function selected() {
    return cards().filter(function (card) { return card.querySelector("input.select").checked; });
  }

  function bulk(action) {
    var chosen = selected();
    if (!chosen.length) { announce(t("select_first")); return; }
    var status = action === "approve" ? "approved" : "rejected";
    var body = new FormData();
    body.append("action", action);
    var before = {};
    chosen.forEach(function (card) {
      body.append("ids", card.dataset.id);
      before[card.dataset.id] = card.dataset.status;
      adjustCount(card.dataset.status, -1);
      adjustCount(status, +1);
      setStatus(card, status);
    });
    focusCard(nextOpen(chosen[chosen.length - 1]));
    post(queue.dataset.bulkUrl, body)
      .then(function (data) {
        chosen.forEach(function (card) {
          card.querySelector("input.select").checked = false;
          card.classList.remove("selected");
          history.push(card);
        });
        announce(t(action === "approve" ? "bulk_approved" : "bulk_rejected", { count: data.changed }));
      })
      .catch(function (error) {
        chosen.forEach(function (card) {
          adjustCount(status, -1);
          adjustCount(before[card.dataset.id], +1);
          setStatus(card, before[card.dataset.id]);
        });
        announce(t("not_saved", { error: error.message }));
      });
  }

  var keys = {
    j: function () { move(+1); },
    k: function () { move(-1); },
    a: function () { act(current(), "approve"); },
    r: function () { act(current(), "reject"); },
    u: undo,
    x: function () { toggleSelect(current()); },
    A: function () { bulk("approve"); },
    R: function () { bulk("reject"); },
    "?": function () {
      var help = document.getElementById("keys-help");
      if (help) help.hidden = !help.hidden;
    },
  };

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName) && target.type !== "checkbox") return;
    var handler = keys[event.key];
    if (!handler) return;
    event.preventDefault();
    // Nothing focused yet (e.g. after clicking outside the cards): start at the first card.
    if (!current() && "jkarx".indexOf(event.key) >= 0) {
      focusCard(cards()[0]);
      if (event.key === "j" || event.key === "k") return;
    }
    handler();
  });

  // One click: the buttons are forms that also work without JavaScript.
  queue.addEventListener("submit", function (event) {
    var form = event.target;
    var card = form.closest(".card");
    if (!card || !form.dataset.action) return;
    event.preventDefault();
    card.focus({ preventScroll: true });
    act(card, form.dataset.action);
  });
  queue.addEventListener("change", function (event) {
    if (!event.target.classList.contains("select")) return;
    event.target.closest(".card").classList.toggle("selected", event.target.checked);
  });
  var bulkForm = document.getElementById("bulk-form");
  if (bulkForm) {
    bulkForm.addEventListener("submit", function (event) {
      event.preventDefault();
      bulk(event.submitter ? event.submitter.value : "approve");
    });
  }

  // Live updates (when the server has them): another moderator's decision updates the card,
  // newly held comments are counted in a notice that reloads the queue on demand.
  var news = document.getElementById("live-news");
  var fresh = 0;
  if (queue.dataset.liveUrl && window.EventSource) {
    queue.dataset.liveSites.split(",").forEach(function (site) {
      var stream = new EventSource(queue.dataset.liveUrl + "?site=" + encodeURIComponent(site));
      stream.addEventListener("queue.held", function (event) {
        var data = JSON.parse(event.data);
        if (document.getElementById("card-" + data.id)) return;
        fresh += 1;
        news.querySelector("span").textContent = t("new_held", { count: fresh });
        news.querySelector("a").href = window.location.href;
        news.hidden = false;
        adjustCount("pending", +1);
      });
      stream.addEventListener("queue.resolved", function (event) {
        var data = JSON.parse(event.data);
        var card = document.getElementById("card-" + data.id);
        if (!card || card.classList.contains("busy") || card.dataset.status === data.status) return;
        adjustCount(card.dataset.status, -1);
        adjustCount(data.status, +1);
        setStatus(card, data.status);
        announce(t("decided_elsewhere", { author: card.dataset.author, status: statusName(data.status) }));
      });
    });
  }

  if (cards().length) focusCard(cards()[0]);
})();
