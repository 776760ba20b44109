// The content editor in a real browser, in local mode: /admin/ loads Decap from the site
// itself and asks nothing of another host; the collections kring generated are listed; an
// event made through the editor's own form is saved by the dev server (the local backend).
//
// Usage: node cms.mjs SERVER_URL
import { launch, until } from "./chromium.mjs";

const [serverUrl] = process.argv.slice(2);
const own = new URL(serverUrl).host;
const browser = await launch();
const failures = [];
try {
  const page = await (await browser.newContext()).newPage();
  const elsewhere = [];
  page.on("request", (r) => {
    const url = r.url();
    if (!url.startsWith("data:") && !url.startsWith("blob:") && new URL(url).host !== own) elsewhere.push(url);
  });
  page.on("pageerror", (e) => console.log(`page error: ${e.message}`));
  page.on("console", (m) => { if (m.type() === "error") console.log(`console: ${m.text()}`); });
  await page.goto(new URL("admin/", serverUrl).href, { waitUntil: "networkidle" });
  // Local mode: a "Login" button, no git host.
  const login = await until("the login button", () => page.$("button:has-text('Login')"), 30000);
  await login.click();
  const text = await until("the collections", async () => {
    const t = await page.evaluate(() => document.body.innerText);
    return t.includes("Events") || t.includes("Evenementen") ? t : undefined;
  }, 30000).catch(async (e) => { console.log(await page.evaluate(() => document.body.innerText)); throw e; });
  for (const name of ["Artikelen", "Evenementen", "Masterclasses", "Leden"]) {
    if (!text.includes(name)) failures.push(`collection ${name} not listed`);
  }
  console.log("ok: the generated collections are listed");
  if (elsewhere.length) failures.push(`requests to other hosts: ${elsewhere.join(", ")}`);
  else console.log("ok: nothing requested from another host");

  // An event through the editor's own form: title in both languages, a start, a place and a
  // host chosen from the members, then "Publish now".
  await page.goto(new URL("admin/#/collections/events/new", serverUrl).href);
  await until("the event form", () => page.$("#title-field-1"), 30000);
  const ids = await page.$$eval("label", (ls) => ls.map((l) => l.htmlFor));
  const first = (name) => "#" + ids.find((id) => id.startsWith(`${name}-field-`));
  const titles = ids.filter((id) => id.startsWith("title-field-"));
  await page.fill(`#${titles[0]}`, "Kerstborrel");
  await page.fill(`#${titles[1]}`, "Christmas drinks");
  await page.fill(first("start"), "2026-12-18T19:30");
  await page.fill(first("name"), "De Lindeboom");
  await page.click(first("hosts"));
  await page.keyboard.type("Noor");
  await until("the member to choose", () => page.$("text=Noor El Amrani"), 10000);
  await page.keyboard.press("Enter");
  await page.getByText("Publish", { exact: true }).first().click();
  await page.getByText("Publish now").click();
  await until("the saved entry", () => page.$("text=Entry saved"), 20000);
  console.log("ok: event saved through the editor");
  if (elsewhere.length) failures.push(`requests to other hosts while editing: ${elsewhere.join(", ")}`);
} finally {
  await browser.close();
}
if (failures.length) {
  console.error(failures.join("\n"));
  process.exit(1);
}
