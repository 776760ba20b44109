// The default theme in a real browser: five kinds of page, each at a phone and a desktop
// width, must load without console errors, page errors or failed requests, request nothing
// from any host but the site's own, have no serious or critical axe-core violation, still
// show their content with JavaScript off, and leave a full-page screenshot behind.
//
// Usage: node theme-check.mjs OUTPUT_DIR SCREENSHOT_DIR PORT
//   OUTPUT_DIR  a built site whose base_url is http://127.0.0.1:PORT/
//   PORT        the port this script serves OUTPUT_DIR on (127.0.0.1 only)
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { launch } from "./chromium.mjs";
import { serveDir } from "./serve-dir.mjs";

const [outputDir, screenshotDir, portArg] = process.argv.slice(2);
const port = Number(portArg);
if (!outputDir || !screenshotDir || !Number.isInteger(port) || port <= 0) {
  console.error("usage: node theme-check.mjs OUTPUT_DIR SCREENSHOT_DIR PORT");
  process.exit(2);
}
const root = resolve(outputDir);
const base = `http://127.0.0.1:${port}/`;
const axePath = fileURLToPath(new URL("./node_modules/axe-core/axe.min.js", import.meta.url));

const PAGES = [
  ["home", "/"],
  ["article", "/articles/starting-a-community/"],
  ["event", "/events/utrecht-meetup-december/"],
  ["member", "/members/noor/"],
  ["members", "/members/"],
  ["search", "/search/?q=community"],
  ["blocks", "/articles/hybrid-meetups/"],
  ["series", "/series/beginnen-bij-nul/"],
  ["sponsored", "/articles/community-health-without-trackers/"],
  ["term", "/tags/evenementen/"],
];
const WIDTHS = [390, 1280];

const server = await serveDir(root, port);

// ---- the checks ----------------------------------------------------------------------

/** Whether a request leaves this machine: data: and blob: URLs stay inside the page,
 *  anything else must go to the site's own host. */
function external(url) {
  const u = new URL(url);
  return !["data:", "blob:", "about:"].includes(u.protocol) && u.hostname !== "127.0.0.1";
}

/** A browser context at WIDTH whose requests to other hosts are recorded (by `watch`) and
 *  blocked, so the check never reaches out of this machine. */
async function newContext(browser, width, javaScriptEnabled = true) {
  const context = await browser.newContext({ javaScriptEnabled, viewport: { width, height: 900 } });
  await context.route("**/*", (route) => (external(route.request().url()) ? route.abort("blockedbyclient") : route.continue()));
  return context;
}

/** Records what must not happen on a page: console errors, page errors, failed requests,
 *  HTTP errors and requests to any host but 127.0.0.1. */
function watch(page, problems) {
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console error: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("requestfailed", (r) => {
    // A request to another host is reported as such below, and blocked: not twice.
    if (!external(r.url())) problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`);
  });
  page.on("response", (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  page.on("request", (r) => {
    if (external(r.url())) problems.push(`request to another host: ${r.url()}`);
  });
}

async function axe(page, problems) {
  await page.addScriptTag({ path: axePath });
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      count: v.nodes.length,
      targets: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
    }));
  });
  const byImpact = {};
  for (const v of violations) {
    byImpact[v.impact] = (byImpact[v.impact] || 0) + 1;
    const line = `axe ${v.id} [${v.impact}] ${v.help} (${v.count} node${v.count === 1 ? "" : "s"}): ${v.targets.join(" | ")}`;
    if (v.impact === "serious" || v.impact === "critical") problems.push(line);
    else notes.push(line);
  }
  return byImpact;
}

async function withoutJavaScript(browser, url, width, problems) {
  const context = await newContext(browser, width, false);
  try {
    const page = await context.newPage();
    watch(page, problems);
    await page.goto(url, { waitUntil: "load" });
    const mains = await page.locator("main").count();
    if (mains !== 1) {
      problems.push(`without JavaScript: ${mains} <main> elements instead of 1`);
      return;
    }
    // innerText, not textContent: text that CSS hides until a script runs does not count.
    const text = (await page.locator("main").innerText()).trim();
    if (!(await page.locator("main").isVisible()) || text.length === 0) {
      problems.push("without JavaScript: <main> shows no text");
    }
  } finally {
    await context.close();
  }
}

mkdirSync(screenshotDir, { recursive: true });
const failures = [];
const notes = [];
let browser;
try {
  browser = await launch();
  for (const [name, path] of PAGES) {
    for (const width of WIDTHS) {
      const label = `${name} @${width}`;
      const url = new URL(path.slice(1), base).href;
      const problems = [];
      const context = await newContext(browser, width);
      try {
        const page = await context.newPage();
        watch(page, problems);
        const response = await page.goto(url, { waitUntil: "networkidle" });
        if (!response) problems.push("no response");
        const impacts = await axe(page, problems);
        const summary = Object.entries(impacts).map(([k, n]) => `${k} ${n}`).join(", ") || "none";
        notes.push(`axe ${label} (${path}): violations by impact: ${summary}`);
        await page.screenshot({ path: join(screenshotDir, `${name}-${width}.png`), fullPage: true });
      } catch (e) {
        problems.push(String(e));
      } finally {
        await context.close();
      }
      try {
        await withoutJavaScript(browser, url, width, problems);
      } catch (e) {
        problems.push(`without JavaScript: ${e}`);
      }
      const unique = [...new Set(problems)];
      if (unique.length) failures.push(...unique.map((p) => `FAIL ${label} (${path}): ${p}`));
      else console.log(`ok: ${label}`);
    }
  }
} catch (e) {
  failures.push(`FAIL: ${e?.stack || e}`);
} finally {
  await browser?.close();
  server.close();
}
for (const n of notes) console.log(`note: ${n}`);
if (failures.length) {
  console.error(failures.join("\n"));
  process.exit(1);
}
