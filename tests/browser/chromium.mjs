// Launches the machine's Chromium (Debian's package) headless, for kring's browser tests.
// Nothing here downloads a browser: playwright-core only drives the one at CHROMIUM or
// /usr/bin/chromium.
import { chromium } from "playwright-core";

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/** Polls `check` until it returns a truthy value or `ms` pass. A check that throws (the
 *  page is reloading under it) counts as not yet. */
export async function until(what, check, ms = 10000) {
  const started = Date.now();
  for (;;) {
    let value;
    try {
      value = await check();
    } catch {
      value = undefined;
    }
    if (value) return value;
    if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
