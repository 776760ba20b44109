// kring's freshness script: a static site is built once, but events end after that. When a
// page is viewed, events that have ended leave the "upcoming" lists (for the archive, when
// the page has one), event pages say they are over and stop inviting to register, a
// masterclass that has begun no longer says when it starts, and times can be shown in the
// visitor's own time zone. Without JavaScript the lists stand as they were built.
// It reads only the page itself; it loads nothing and sends nothing.
(() => {
  "use strict";
  const script = document.currentScript;
  const text = (name, fallback) => (script && script.dataset[name]) || fallback;
  const now = Date.now();
  const ended = (el) => {
    const end = Date.parse(el.dataset.end || "");
    return Number.isFinite(end) && end <= now;
  };
  const started = (el) => {
    const start = Date.parse(el.dataset.start || "");
    return Number.isFinite(start) && start <= now;
  };

  // Upcoming lists: ended events go to the page's past list (most recent first), or away.
  for (const list of document.querySelectorAll('[data-fresh="upcoming"]')) {
    const past = list.closest("main")?.querySelector('[data-fresh="past"]');
    const items = [...list.children].filter((li) => {
      const card = li.querySelector("[data-end]");
      return card && ended(card);
    });
    for (const li of items.reverse()) {
      li.querySelector("[data-end]").classList.add("event-card--past");
      if (past) past.prepend(li);
      else li.remove();
    }
    if (list.children.length === 0) {
      list.hidden = true;
      const empty = list.parentElement?.querySelector("[data-fresh-empty]");
      if (empty) empty.hidden = false;
    } else {
      // What is on now says so.
      for (const card of list.querySelectorAll("[data-start]")) {
        if (started(card) && !ended(card) && !card.querySelector(".badge--now")) {
          const badge = document.createElement("span");
          badge.className = "badge badge--now";
          badge.textContent = text("now", "Now");
          const title = card.querySelector(".card__title");
          if (title) title.before(badge);
        }
      }
    }
  }

  // An event page: over is over.
  for (const el of document.querySelectorAll("[data-fresh-event]")) {
    if (!ended(el)) continue;
    for (const hide of el.querySelectorAll("[data-fresh-upcoming-only]")) hide.hidden = true;
    for (const show of el.querySelectorAll("[data-fresh-past]")) show.hidden = false;
  }

  // "Starts on …" until it has started.
  for (const el of document.querySelectorAll("[data-fresh-until]")) {
    const start = Date.parse(el.dataset.freshUntil);
    if (Number.isFinite(start) && start <= now) el.hidden = true;
  }

  // Times in the visitor's own zone, on request.
  const times = document.querySelectorAll("time[data-time]");
  const here = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const site = text("zone", "");
  if (times.length > 0 && here && here !== site) {
    const lang = document.documentElement.lang || undefined;
    for (const slot of document.querySelectorAll("[data-fresh-zone]")) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "button button--quiet zone-switch";
      button.textContent = text("local", "Show times in my time zone");
      button.addEventListener("click", () => {
        const format = new Intl.DateTimeFormat(lang, {
          weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", timeZoneName: "short",
        });
        for (const t of times) {
          const when = Date.parse(t.dateTime);
          if (Number.isFinite(when)) {
            t.title = t.textContent;
            t.textContent = format.format(new Date(when));
          }
        }
        button.remove();
      }, { once: true });
      slot.append(button);
      slot.hidden = false;
    }
  }
})();
