// Portable output: a build made for one address, served from another origin under a
// sub-path, must still work. Serves WWW_DIR on 127.0.0.1:PORT (the build is in
// WWW_DIR/SUBPATH/), visits every page reachable from /SUBPATH/ in Chromium, and fails on
// any failed request, any page without its stylesheet, any internal link that does not
// resolve, and any link to the production host PROD_HOST (which would leave the preview).
//
// Usage: node portable.mjs WWW_DIR SUBPATH PORT PROD_HOST
import { launch } from "./chromium.mjs";
import { serveDir } from "./serve-dir.mjs";

const [wwwDir, subpath, portArg, prodHost] = process.argv.slice(2);
const port = Number(portArg);
if (!wwwDir || !subpath || !Number.isInteger(port) || !prodHost) {
  console.error("usage: node portable.mjs WWW_DIR SUBPATH PORT PROD_HOST");
  process.exit(2);
}
const origin = `http://127.0.0.1:${port}`;
const start = `${origin}/${subpath}/`;
const server = await serveDir(wwwDir, port);

const failures = [];
const queued = new Set([start]);
const queue = [start];
const checkedLinks = new Map(); // url -> status
let pages = 0;

async function status(url) {
  if (!checkedLinks.has(url)) {
    const res = await fetch(url, { redirect: "follow" });
    checkedLinks.set(url, res.status);
  }
  return checkedLinks.get(url);
}

const browser = await launch();
try {
  const context = await browser.newContext();
  const page = await context.newPage();
  let failed = [];
  // A request still running when the next page is opened is aborted by the navigation:
  // not a failure of the page. A missing file answers 404, which is.
  page.on("requestfailed", (r) => {
    const error = r.failure()?.errorText ?? "";
    if (error !== "net::ERR_ABORTED") failed.push(`${r.url()} (${error})`);
  });
  page.on("response", (r) => {
    if (r.status() >= 400) failed.push(`${r.url()} (${r.status()})`);
  });
  while (queue.length > 0) {
    const url = queue.shift();
    failed = [];
    const response = await page.goto(url, { waitUntil: "load" });
    pages += 1;
    if (!response || response.status() !== 200) {
      failures.push(`${url}: status ${response?.status()}`);
      continue;
    }
    const facts = await page.evaluate(() => {
      const sheets = [...document.styleSheets].filter((s) => s.href);
      const styled = sheets.length > 0 && sheets.every((s) => {
        try {
          return s.cssRules.length > 0;
        } catch {
          return false;
        }
      });
      const links = [...document.querySelectorAll("a[href]")].map((a) => a.href);
      return { styled, links };
    });
    if (!facts.styled) failures.push(`${url}: its stylesheet did not load`);
    for (const f of failed) failures.push(`${url}: request failed: ${f}`);
    for (const link of facts.links) {
      const u = new URL(link);
      // webcal:// subscriptions name the real calendar on purpose; a page link must not.
      if (!["http:", "https:"].includes(u.protocol)) continue;
      if (u.hostname === prodHost) {
        failures.push(`${url}: links to the production host: ${link}`);
        continue;
      }
      if (u.origin !== origin) continue;
      u.hash = "";
      const target = u.toString();
      if (!target.startsWith(start)) {
        failures.push(`${url}: links outside ${start}: ${link}`);
        continue;
      }
      const s = await status(target);
      if (s !== 200) {
        failures.push(`${url}: link to ${target} gives ${s}`);
        continue;
      }
      const isPage = target.endsWith("/") || target.endsWith(".html");
      if (isPage && !queued.has(target)) {
        queued.add(target);
        queue.push(target);
      }
    }
  }
} finally {
  await browser.close();
  server.close();
}

if (failures.length > 0) {
  console.error(failures.slice(0, 40).join("\n"));
  console.error(`${failures.length} problems on ${pages} pages`);
  process.exit(1);
}
console.log(`ok: ${pages} pages and ${checkedLinks.size} internal links under /${subpath}/`);
