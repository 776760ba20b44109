// The dev server in a real browser: an edited article shows its new text without anyone
// reloading, a stylesheet change applies without a page reload, a broken file shows the
// error overlay (file and line), and fixing it removes the overlay.
//
// Usage: node live-reload.mjs URL SITE_DIR   (a `kring serve` of SITE_DIR must be at URL)
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { launch, until } from "./chromium.mjs";

const [url, site] = process.argv.slice(2);
const article = join(site, "content/articles/first.md");
const original = readFileSync(article, "utf8");
const browser = await launch();
const failures = [];
try {
  const page = await browser.newPage();
  page.on("pageerror", (e) => failures.push(`page error: ${e.message}`));
  await page.goto(new URL("articles/first/", url).href);
  await until("the article", async () => (await page.textContent("main"))?.includes("First paragraph"));
  await until("the live-reload socket", () => page.evaluate(() => performance.getEntriesByType("resource").some((r) => r.name.includes("live-reload.js"))));
  await new Promise((r) => setTimeout(r, 300)); // let the WebSocket open

  // 1. Edit the Markdown: the page shows the new text by itself.
  writeFileSync(article, original.replace("First paragraph", "Live edited paragraph"));
  await until("the edited text", async () => (await page.textContent("main"))?.includes("Live edited paragraph"));
  console.log("ok: edited article shown without a manual reload");

  // 2. A stylesheet change applies without reloading the page.
  await page.evaluate(() => { window.__kringMarker = "still here"; });
  // A site's static/kring.css replaces the theme's: the page's own stylesheet changes.
  const css = await page.evaluate(async () => (await fetch("/kring.css")).text());
  mkdirSync(join(site, "static"), { recursive: true });
  writeFileSync(join(site, "static/kring.css"), css + "\nbody { outline: 7px solid rgb(1, 2, 3); }\n");
  await until("the new style", () => page.evaluate(() => getComputedStyle(document.body).outlineColor === "rgb(1, 2, 3)"));
  const marker = await page.evaluate(() => window.__kringMarker);
  if (marker !== "still here") failures.push("the CSS change reloaded the page instead of swapping the stylesheet");
  else console.log("ok: CSS applied without a page reload");

  // 3. A broken file shows the overlay with the file and line; the old content stays.
  writeFileSync(article, original.replace("date = 2026-01-10", "date = 2026-01-99"));
  const overlay = await until("the error overlay", () => page.evaluate(() => document.getElementById("kring-error-overlay")?.textContent));
  if (!overlay.includes("content/articles/first.md:4")) failures.push(`overlay lacks file and line: ${overlay}`);
  else console.log("ok: overlay names the file and line");
  if (!(await page.textContent("main")).includes("Live edited paragraph")) failures.push("the last good page was not kept under the overlay");

  // 4. Fixing it removes the overlay.
  writeFileSync(article, original);
  await until("the overlay to go", async () => !(await page.evaluate(() => !!document.getElementById("kring-error-overlay"))) && (await page.textContent("main")).includes("First paragraph"));
  console.log("ok: overlay gone after the fix");
} catch (e) {
  failures.push(String(e));
} finally {
  writeFileSync(article, original);
  await browser.close();
}
if (failures.length) {
  console.error(failures.join("\n"));
  process.exit(1);
}
