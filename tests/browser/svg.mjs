// Published SVG files opened directly, as a visitor following a link to one would: no
// script runs (no dialog, no `window.ran`, no request made by script) and nothing is
// requested from another host, before or after a click on each of its links and once its
// animations have run. Every request is answered by the test (the file from the build,
// the site's other addresses with 404, other hosts refused and recorded), so nothing
// leaves the machine.
//
// Usage: node svg.mjs OUTPUT_DIR PATH…   (paths of SVG files under OUTPUT_DIR)
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { launch } from "./chromium.mjs";

const [outputDir, ...paths] = process.argv.slice(2);
const ORIGIN = "http://127.0.0.1:9/";
const browser = await launch();
const failures = [];
try {
  for (const path of paths) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const url = ORIGIN + path;
    const requests = [];
    const ran = [];
    page.on("dialog", (d) => {
      ran.push(`dialog ${d.message()}`);
      d.dismiss().catch(() => {});
    });
    await context.route("**/*", (route) => {
      const asked = route.request().url();
      if (asked === url) {
        return route.fulfill({
          status: 200,
          contentType: "image/svg+xml",
          body: readFileSync(join(resolve(outputDir), path)),
        });
      }
      if (!asked.startsWith(ORIGIN)) {
        requests.push(asked);
        return route.abort();
      }
      // The site's own files may be asked for (a picture beside the SVG); the hostile
      // files' script asks for /ran-….
      if (new URL(asked).pathname.startsWith("/ran-")) ran.push(`asked for ${asked}`);
      return route.fulfill({ status: 404, body: "" });
    });
    // Leaving the file (another document, a `data:` page) shows as the frame navigating;
    // a link to `#id` in the file stays on it.
    page.on("framenavigated", (f) => {
      const now = f.url().split("#")[0];
      if (now !== url && now !== "about:blank") requests.push(`navigated to ${f.url()}`);
    });
    const response = await page.goto(url, { waitUntil: "load" });
    if (!response || response.status() !== 200) failures.push(`${path}: not served`);
    // Animations that begin at 0s and last a moment.
    await page.waitForTimeout(300);
    const links = await page.evaluate(() =>
      [...document.querySelectorAll("a")].map((a) => {
        const r = a.getBoundingClientRect();
        return [r.x + r.width / 2, r.y + r.height / 2];
      }),
    );
    for (const [x, y] of links) {
      await page.mouse.click(x, y).catch(() => {});
      await page.waitForTimeout(100);
    }
    for (const el of ["svg", "rect", "circle"]) {
      await page.hover(el, { timeout: 500 }).catch(() => {});
    }
    const marks = await page
      .evaluate(() => [window.ran, document.title === "RAN" ? "title" : undefined])
      .catch((e) => [`page gone: ${e.message}`]);
    for (const m of marks) if (m) ran.push(`script ran: ${m}`);
    const elements = await page.evaluate(() => document.querySelectorAll("*").length).catch(() => 0);
    if (ran.length) failures.push(`${path}: ${ran.join("; ")}`);
    if (requests.length) failures.push(`${path}: requested ${requests.join(", ")}`);
    if (!ran.length && !requests.length) console.log(`ok: ${path} (${elements} elements, ${links.length} links clicked)`);
    await context.close();
  }
} finally {
  await browser.close();
}
if (failures.length) {
  console.error(failures.join("\n"));
  process.exit(1);
}
console.log(`no script ran and nothing was requested in ${paths.length} SVG files`);
