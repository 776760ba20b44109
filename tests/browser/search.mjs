// Search in a real browser, on a build served under a sub-path: a word typed in the
// header's search box on the home page lists the one Dutch article that has it first; the
// English home page finds the English article with its word; a page titled with markup
// shows that title as text and runs nothing; no request leaves the origin; and without
// JavaScript the header's form still goes to the search page.
//
// A word found only deep in an article's body (past the text the index keeps with each
// page) shows an excerpt from around it, the word marked.
//
// Usage: node search.mjs ROOT PORT PREFIX WORD_NL PATH_NL WORD_EN PATH_EN XSS_WORD XSS_TITLE DEEP_WORD DEEP_PATH
//   ROOT is served at http://127.0.0.1:PORT/; the site is in ROOT/PREFIX.
import { resolve } from "node:path";
import { launch, until } from "./chromium.mjs";
import { serveDir } from "./serve-dir.mjs";

const [root, portArg, prefix, wordNl, pathNl, wordEn, pathEn, xssWord, xssTitle, deepWord, deepPath] =
  process.argv.slice(2);
const port = Number(portArg);
const origin = `http://127.0.0.1:${port}`;
const server = await serveDir(resolve(root), port);
const browser = await launch();
const failures = [];
const elsewhere = [];
try {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on("request", (r) => {
    if (!r.url().startsWith(origin) && !r.url().startsWith("data:")) elsewhere.push(r.url());
  });
  page.on("pageerror", (e) => failures.push(`page error: ${e.message}`));
  page.on("dialog", async (d) => {
    failures.push(`a dialog opened: ${d.message()}`);
    await d.dismiss();
  });

  async function searchFrom(home, word, expected, what) {
    await page.goto(`${origin}${home}`, { waitUntil: "networkidle" });
    await page.fill("#k-site-search", word);
    await Promise.all([page.waitForNavigation(), page.press("#k-site-search", "Enter")]);
    const first = await until(`results for ${word}`, () => page.$eval(".search-result a", (a) => a.href).catch(() => null));
    const path = new URL(first).pathname;
    if (path !== expected) failures.push(`${what}: "${word}" lists ${path} first, not ${expected}`);
    else console.log(`ok: ${what}: "${word}" lists ${path} first`);
  }
  await searchFrom(prefix, wordNl, pathNl, "Dutch");
  await searchFrom(`${prefix}en/`, wordEn, pathEn, "English");

  await page.goto(`${origin}${prefix}search/?q=${encodeURIComponent(xssWord)}`, { waitUntil: "networkidle" });
  const shown = await until("the page with markup in its title", () => page.$eval(".search-result a", (a) => a.textContent).catch(() => null));
  const images = await page.$$eval(".search-results img, .search-results script", (e) => e.length);
  if (shown !== xssTitle || images) failures.push(`markup title shown as ${JSON.stringify(shown)}, ${images} elements made of it`);
  else console.log("ok: a title with markup shows as text and runs nothing");

  await page.goto(`${origin}${prefix}search/?q=${encodeURIComponent(deepWord)}`, { waitUntil: "networkidle" });
  const deep = await until("the article with the deep word", () =>
    page
      .$eval(".search-result", (li) => ({
        href: li.querySelector("a").href,
        marked: [...li.querySelectorAll(".search-result__excerpt mark")].map((m) => m.textContent),
        excerpt: li.querySelector(".search-result__excerpt").textContent,
      }))
      .catch(() => null),
  );
  if (new URL(deep.href).pathname !== deepPath) failures.push(`"${deepWord}" lists ${deep.href} first, not ${deepPath}`);
  else if (!deep.marked.some((m) => m.toLowerCase() === deepWord) || !deep.excerpt.startsWith("… "))
    failures.push(`"${deepWord}" deep in a body: excerpt ${JSON.stringify(deep.excerpt)}, marked ${JSON.stringify(deep.marked)}`);
  else console.log("ok: a word deep in a body shows the text around it, marked");

  if (elsewhere.length) failures.push(`requests to other hosts: ${elsewhere.join(", ")}`);
  else console.log("ok: no request left the origin");

  const plain = await browser.newContext({ javaScriptEnabled: false });
  const noJs = await plain.newPage();
  await noJs.goto(`${origin}${prefix}`);
  await noJs.fill("#k-site-search", wordNl);
  await Promise.all([noJs.waitForNavigation(), noJs.press("#k-site-search", "Enter")]);
  const landed = new URL(noJs.url());
  const browse = await noJs.$$eval(".search-browse a", (a) => a.length);
  if (landed.pathname !== `${prefix}search/` || landed.searchParams.get("q") !== wordNl || !browse)
    failures.push(`without JavaScript the form went to ${noJs.url()} (${browse} links to browse)`);
  else console.log("ok: without JavaScript the form goes to the search page, which offers the sections");
} finally {
  await browser.close();
  server.close();
}
if (failures.length) {
  console.error(failures.join("\n"));
  process.exit(1);
}
