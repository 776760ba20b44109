// The freshness script in a real browser, with the clock set after the build: the first
// upcoming event, once it has ended, leaves the upcoming list for the archive, its page
// says it is over and stops inviting to register, and times can be shown in the visitor's
// own zone. Without JavaScript the lists stand as built. No request leaves the origin.
//
// Usage: node fresh.mjs SITE_DIR PORT   (SITE_DIR: a build for http://127.0.0.1:PORT/)
import { launch, until } from "./chromium.mjs";
import { serveDir } from "./serve-dir.mjs";

const [root, portArg] = process.argv.slice(2);
const port = Number(portArg);
const origin = `http://127.0.0.1:${port}`;
const server = await serveDir(root, port);
const browser = await launch();
const failures = [];
const check = (ok, what) => (ok ? console.log(`ok: ${what}`) : failures.push(`FAIL: ${what}`));
try {
  // As built: which event comes first, and when it ends.
  const built = await browser.newContext({ javaScriptEnabled: false });
  const plain = await built.newPage();
  await plain.goto(`${origin}/events/`);
  const first = await plain.$eval('[data-fresh="upcoming"] > li [data-end]', (card) => ({
    href: card.querySelector(".card__link").getAttribute("href"),
    end: card.dataset.end,
  }));
  const upcomingHrefs = async (page) =>
    page.$$eval('[data-fresh="upcoming"] .card__link', (links) => links.map((a) => a.getAttribute("href")));
  check((await upcomingHrefs(plain)).includes(first.href), "without JavaScript the list stands as built");
  await built.close();

  // An hour after it ended, in New York.
  const later = new Date(Date.parse(first.end) + 3600_000);
  const context = await browser.newContext({ timezoneId: "America/New_York", locale: "nl-NL" });
  const outside = [];
  context.on("request", (r) => {
    if (!r.url().startsWith(origin) && !r.url().startsWith("data:")) outside.push(r.url());
  });
  const page = await context.newPage();
  await page.clock.install({ time: later });
  page.on("pageerror", (e) => failures.push(`page error: ${e.message}`));
  await page.goto(`${origin}/events/`);
  await until("the ended event to leave the upcoming list", async () => !(await upcomingHrefs(page)).includes(first.href));
  const inPast = await page.$$eval('[data-fresh="past"] .card__link', (links) => links.map((a) => a.getAttribute("href")));
  check(inPast[0] === first.href, `the ended event heads the archive (${first.href})`);
  check(
    await page.$eval(`[data-fresh="past"] a[href="${first.href}"]`, (a) => a.closest(".event-card").classList.contains("event-card--past")),
    "and looks like a past event",
  );

  // Times in the visitor's zone, on request.
  const zone = await until("the time-zone button", () => page.$(".zone-switch"));
  const before = await page.$eval('[data-fresh="upcoming"] time[data-time]', (t) => t.textContent);
  await zone.click();
  const after = await page.$eval('[data-fresh="upcoming"] time[data-time]', (t) => t.textContent);
  check(before !== after && /GMT-[45]|EST|EDT/.test(after), `times in New York time (${before} → ${after})`);

  // The event's own page.
  await page.goto(new URL(first.href, `${origin}/events/`).href);
  await until("the past badge", () => page.$eval("[data-fresh-past]", (b) => !b.hidden).catch(() => false));
  const register = await page.$("[data-fresh-upcoming-only]");
  check(!register || (await register.evaluate((r) => r.hidden)), "no invitation to register after the event");
  check(outside.length === 0, `no request leaves the origin (${outside.join(", ")})`);
  await context.close();
} catch (e) {
  failures.push(String(e));
} finally {
  await browser.close();
  server.close();
}
if (failures.length) {
  console.error(failures.join("\n"));
  process.exit(1);
}
