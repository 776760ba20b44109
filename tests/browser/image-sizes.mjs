// Every picture in the default theme at the size it is shown: on each page, at a phone's
// and a desktop's width (one CSS pixel per device pixel), every <img> has a width, a
// height and an alt attribute, and the file the browser chose is at most 2.5 times as
// wide as the image is shown. Lazy images are made eager first, so all of them load.
//
// Usage: node image-sizes.mjs OUTPUT_DIR PORT   (a build whose base_url is http://127.0.0.1:PORT/)
import { resolve } from "node:path";
import { launch } from "./chromium.mjs";
import { serveDir } from "./serve-dir.mjs";

const [outputDir, portArg] = process.argv.slice(2);
const port = Number(portArg);
const server = await serveDir(resolve(outputDir), port);
const PAGES = ["/", "/articles/", "/articles/hybrid-meetups/", "/events/", "/events/utrecht-meetup-december/", "/members/", "/members/amara/", "/en/members/tom/"];
const browser = await launch();
const failures = [];
let checked = 0;
try {
  for (const width of [390, 1280]) {
    const context = await browser.newContext({ viewport: { width, height: 900 }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    for (const path of PAGES) {
      await page.goto(`http://127.0.0.1:${port}${path}`, { waitUntil: "networkidle" });
      const found = await page.evaluate(async () => {
        const imgs = [...document.images];
        imgs.forEach((img) => (img.loading = "eager"));
        await Promise.all(imgs.map((img) => img.decode().catch(() => {})));
        const out = [];
        for (const img of imgs) {
          // The chosen file's own width: an <img> with a `w` srcset reports a width
          // corrected for the slot, so the file is loaded again on its own.
          const file = new Image();
          file.src = img.currentSrc;
          await file.decode().catch(() => {});
          out.push({
            src: img.currentSrc,
            shown: img.getBoundingClientRect().width,
            file: file.naturalWidth,
            svg: /\.svg(\?|$)/.test(img.currentSrc),
            attrs: ["width", "height", "alt"].filter((a) => !img.hasAttribute(a)),
          });
        }
        return out;
      });
      for (const img of found) {
        checked++;
        if (img.attrs.length) failures.push(`${path} @${width}: ${img.src} has no ${img.attrs.join(", ")}`);
        if (img.svg || img.shown === 0) continue;
        if (!img.file) failures.push(`${path} @${width}: ${img.src} did not load`);
        else if (img.file > 2.5 * img.shown) failures.push(`${path} @${width}: ${img.src} is ${img.file} px wide, shown at ${Math.round(img.shown)}`);
        else console.log(`ok: ${path} @${width} ${img.src.replace(/^.*\//, "")} ${img.file}/${Math.round(img.shown)}`);
      }
    }
    await context.close();
  }
} finally {
  await browser.close();
  server.close();
}
console.log(`checked ${checked} images`);
if (failures.length) {
  console.error(failures.join("\n"));
  process.exit(1);
}
