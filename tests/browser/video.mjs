// A page with a video in a real browser: on load it requests nothing from any host but its
// own (no iframe, no script, no thumbnail from the video's host); a click on the play
// button puts the player's iframe (youtube-nocookie.com) in the page. Without JavaScript
// the video is a plain link.
//
// Usage: node video.mjs PAGE_URL   (a page served from 127.0.0.1 with one YouTube video)
import { launch, until } from "./chromium.mjs";

const [pageUrl] = process.argv.slice(2);
const own = new URL(pageUrl).host;
const browser = await launch();
const failures = [];
try {
  const context = await browser.newContext();
  const page = await context.newPage();
  const elsewhere = [];
  page.on("request", (r) => {
    const host = new URL(r.url()).host;
    if (host !== own && !r.url().startsWith("data:")) elsewhere.push(r.url());
  });
  page.on("pageerror", (e) => failures.push(`page error: ${e.message}`));
  await page.goto(pageUrl, { waitUntil: "networkidle" });
  const button = await until("the play button", () => page.$("figure.video button.video__play"));
  if (elsewhere.length) failures.push(`requests to other hosts on load: ${elsewhere.join(", ")}`);
  else console.log("ok: nothing requested from another host on load");
  if (await page.$("iframe")) failures.push("an iframe before any click");
  await button.click();
  const src = await until("the player", () => page.evaluate(() => document.querySelector("figure.video iframe")?.src));
  if (!src.startsWith("https://www.youtube-nocookie.com/embed/")) failures.push(`player from ${src}`);
  else console.log("ok: a click brings the player's iframe");

  const plain = await browser.newContext({ javaScriptEnabled: false });
  const noJs = await plain.newPage();
  await noJs.goto(pageUrl);
  const href = await noJs.getAttribute("figure.video a.video__link", "href");
  const buttons = await noJs.$$("figure.video button");
  if (!href?.startsWith("https://") || buttons.length) failures.push(`without JavaScript: link ${href}, ${buttons.length} buttons`);
  else console.log("ok: without JavaScript a plain link");
} finally {
  await browser.close();
}
if (failures.length) {
  console.error(failures.join("\n"));
  process.exit(1);
}
