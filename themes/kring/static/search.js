// kring's search page: reads the index kring wrote beside it (search/meta.json, w/…, p/…,
// and t/…, a few pages' whole texts, for a page whose word is found past the start of its text)
// and lists what it finds. Everything that comes from the site's content — titles,
// excerpts, roles — is put in the page as text (textContent), never as HTML, so a title
// like <img src=x onerror=alert(1)> shows as those characters and runs nothing.
//
// Words are matched as kring indexed them: lower case, without accents. A typed word
// finds the words of the site that are it or (from three letters) start with it, and with
// them every page of their stem, so "gemeenschappen" finds "gemeenschap".
(() => {
  const form = document.querySelector("form[data-search]");
  const status = document.querySelector("[data-search-status]");
  const list = document.querySelector("[data-search-results]");
  if (!form || !status || !list) return;
  const input = form.querySelector("input[name=q]");
  const text = form.dataset;
  // The index lives beside the search page: the form's address, wherever the site is served.
  const base = new URL(form.getAttribute("action") || ".", location.href);
  const SHOWN = 10;
  const files = new Map();
  let meta = null;
  let shown = 0;
  let results = [];
  let asked = "";

  const load = (path) => {
    if (!files.has(path)) {
      files.set(
        path,
        fetch(new URL(path, base)).then((r) => {
          if (!r.ok) throw new Error(`${path}: ${r.status}`);
          return r.json();
        }),
      );
    }
    return files.get(path);
  };

  const fold = (s) => s.toLowerCase().normalize("NFD").replace(/\p{M}/gu, "");
  const words = (s) => (fold(s).match(/[\p{L}\p{N}]+/gu) || []).filter((w) => [...w].length > 1);
  const hex = (s) => [...new TextEncoder().encode(s)].map((b) => b.toString(16).padStart(2, "0")).join("");

  /** Pages with the word `t` (or words starting with it), each with a score. */
  async function pagesWith(t) {
    const long = [...t].length >= 3;
    let own = null;
    const keys = new Set();
    for (const k of meta.keys) {
      if (t.startsWith(k) && (!own || k.length > own.length)) own = k;
      if (long && k.startsWith(t)) keys.add(k);
    }
    if (own) keys.add(own);
    const scores = new Map();
    const found = new Set();
    for (const key of keys) {
      const file = await load(`w/${hex(key)}.json`);
      // The stems of the word typed: other forms of it count, less than the word itself.
      const stems = new Set(file.w[t] ? [file.w[t][0]] : []);
      for (const [word, postings] of Object.entries(file.w)) {
        const weight = word === t ? 1 : stems.has(postings[0]) ? 0.8 : long && word.startsWith(t) ? 0.5 : 0;
        if (!weight) continue;
        found.add(word);
        const idf = Math.log(1 + meta.pages / ((postings.length - 1) / 2));
        let page = 0;
        for (let i = 1; i < postings.length; i += 2) {
          page += postings[i];
          scores.set(page, (scores.get(page) || 0) + postings[i + 1] * idf * weight);
        }
      }
    }
    return { scores, found };
  }

  async function record(id) {
    const chunk = await load(`p/${Math.floor(id / meta.per_file)}.json`);
    return chunk[id % meta.per_file];
  }

  /** Where in `x` the words of `found` (folded) are: [start, end] of each, in order. */
  function marksIn(x, found) {
    // The folded text, and for each of its characters the index of the original one.
    let folded = "";
    const from = [];
    let i = 0;
    for (const c of x) {
      for (const f of fold(c)) {
        folded += f;
        from.push(i);
      }
      i += c.length;
    }
    const marks = [];
    const pattern = /[\p{L}\p{N}]+/gu;
    let m;
    while ((m = pattern.exec(folded))) {
      for (const w of found) {
        if (m[0].startsWith(w)) {
          const start = from[m.index];
          const endAt = m.index + w.length;
          const end = endAt < from.length ? from[endAt] : x.length;
          marks.push([start, end]);
          break;
        }
      }
    }
    return marks;
  }

  /** The part of `x` around the first of `marks`, with each marked. */
  function excerpt(x, marks) {
    const first = marks.length ? marks[0][0] : 0;
    let start = Math.max(0, first - 90);
    if (start > 0) start = x.indexOf(" ", start) + 1 || start;
    let end = Math.min(x.length, start + 260);
    if (end < x.length) end = x.lastIndexOf(" ", end) > start ? x.lastIndexOf(" ", end) : end;
    const p = document.createElement("p");
    p.className = "search-result__excerpt";
    let at = start;
    if (start > 0) p.append("… ");
    for (const [s, e] of marks) {
      if (s < at || e > end) continue;
      p.append(x.slice(at, s));
      const mark = document.createElement("mark");
      mark.textContent = x.slice(s, e);
      p.append(mark);
      at = e;
    }
    p.append(x.slice(at, end));
    if (end < x.length) p.append(" …");
    return p;
  }

  function when(iso) {
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return null;
    const t = document.createElement("time");
    t.dateTime = iso;
    t.textContent = date.toLocaleDateString(text.lang, { day: "numeric", month: "long", year: "numeric" });
    return t;
  }

  async function item(result) {
    const r = await record(result.id);
    const li = document.createElement("li");
    li.className = "search-result";
    const facts = document.createElement("p");
    facts.className = "search-result__meta";
    const kind = document.createElement("span");
    kind.className = "badge";
    kind.textContent = text[`kind${r.k[0].toUpperCase()}${r.k.slice(1)}`] || r.k;
    facts.append(kind);
    if (r.d && r.k === "members") {
      facts.append(" ", r.d);
    } else if (r.d) {
      const t = when(r.d);
      if (t) facts.append(" ", t);
    }
    const h = document.createElement("h2");
    h.className = "search-result__title";
    const a = document.createElement("a");
    a.href = new URL(r.u, base).href;
    a.textContent = r.t;
    h.append(a);
    // A word found neither in the title nor in the record's text is further on in the
    // page's text: that is loaded (once), for the excerpt around it.
    let x = r.x;
    let marks = marksIn(x, result.found);
    if (!marks.length && r.f && !marksIn(r.t, result.found).length) {
      const per = meta.texts_per_file;
      const texts = await load(`t/${Math.floor(result.id / per)}.json`).catch(() => null);
      const whole = Array.isArray(texts) ? texts[result.id % per] : null;
      if (typeof whole === "string") {
        x = whole;
        marks = marksIn(x, result.found);
      }
    }
    li.append(h, facts, excerpt(x, marks));
    return li;
  }

  function say(template, q, n) {
    status.textContent = template.replace("{q}", q).replace("{n}", String(n));
  }

  async function showMore() {
    const next = results.slice(shown, shown + SHOWN);
    shown += next.length;
    const items = await Promise.all(next.map(item));
    list.append(...items);
    document.querySelector(".search-more")?.remove();
    if (shown < results.length) {
      const more = document.createElement("button");
      more.type = "button";
      more.className = "button search-more";
      more.textContent = text.more;
      more.addEventListener("click", () => {
        const focusAt = list.children.length;
        showMore().then(() => list.children[focusAt]?.querySelector("a")?.focus());
      });
      list.after(more);
    }
  }

  async function search(q) {
    asked = q;
    const terms = [...new Set(words(q))];
    list.replaceChildren();
    document.querySelector(".search-more")?.remove();
    results = [];
    shown = 0;
    if (!terms.length) {
      status.textContent = "";
      return;
    }
    try {
      meta ??= await load("meta.json");
      const each = await Promise.all(terms.map(pagesWith));
      if (asked !== q) return; // a newer query took over
      // Pages with every word, by the sum of their scores.
      let [first, ...rest] = each;
      const found = new Set(each.flatMap((e) => [...e.found]));
      const total = new Map(first.scores);
      for (const e of rest) {
        for (const [page, score] of total) {
          if (e.scores.has(page)) total.set(page, score + e.scores.get(page));
          else total.delete(page);
        }
      }
      results = [...total]
        .sort((a, b) => b[1] - a[1] || a[0] - b[0])
        .map(([id]) => ({ id, found }));
      if (!results.length) say(text.none, q, 0);
      else say(results.length === 1 ? text.one : text.many, q, results.length);
      await showMore();
    } catch (e) {
      status.textContent = text.failed;
      console.error(e);
    }
  }

  let timer;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const q = input.value.trim();
      const url = new URL(location.href);
      if (q) url.searchParams.set("q", q);
      else url.searchParams.delete("q");
      history.replaceState(null, "", url);
      search(q);
    }, 150);
  });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    clearTimeout(timer);
    const q = input.value.trim();
    const url = new URL(location.href);
    url.searchParams.set("q", q);
    history.replaceState(null, "", url);
    search(q);
  });
  const q = new URLSearchParams(location.search).get("q") || "";
  if (q) {
    input.value = q;
    search(q.trim());
  }
})();
