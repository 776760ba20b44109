// The content editor in a real browser, in local mode: /admin/ loads Decap from the site
// itself and asks nothing of another host; the collections kring generated are listed; an
// event, an article with an uploaded photo and a FAQ block, and an edit of a member are made
// through the editor's own forms and saved by the dev server (the local backend). Run with a
// TZ other than the site's: the start typed is the site's wall-clock time all the same.
// With KRING_SCREENSHOTS=DIR, it saves the editor's screenshots there (docs/images).
//
// Usage: node cms.mjs SERVER_URL PHOTO
import { launch, until } from "./chromium.mjs";

const [serverUrl, photo] = process.argv.slice(2);
const shots = process.env.KRING_SCREENSHOTS;
const own = new URL(serverUrl).host;
const browser = await launch();
const failures = [];
const shoot = async (page, name) => {
  if (shots) await page.screenshot({ path: `${shots}/cms-${name}.png` });
};
try {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  console.log(`browser time zone: ${await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)}`);
  const elsewhere = [];
  page.on("request", (r) => {
    const url = r.url();
    if (!url.startsWith("data:") && !url.startsWith("blob:") && new URL(url).host !== own) elsewhere.push(url);
  });
  // Decap asks before leaving an entry it thinks changed (after a save, a FAQ's body is
  // normalised by its rich-text editor): leave.
  page.on("dialog", (d) => {
    console.log(`dialog: ${d.message()}`);
    d.accept();
  });
  page.on("pageerror", (e) => console.log(`page error: ${e.message}`));
  page.on("response", async (r) => {
    if (r.status() >= 400) console.log(`HTTP ${r.status()} ${r.url()} ${(r.request().postData() || "").slice(0, 200)} → ${(await r.text().catch(() => "")).slice(0, 200)}`);
  });
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
  if (shots) {
    await page.click("text=Artikelen");
    await until("the articles", () => page.$("text=Voordat de moderatoren opbranden"), 10000).catch(() => {});
    await shoot(page, "collections");
  }
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

  // An article with a photo uploaded into its folder, and a FAQ through the editor component.
  // Loaded afresh, as below: from a saved entry Decap's router does not always follow a
  // new hash, and the event's form would still be on screen.
  await page.goto(new URL("admin/#/collections/articles/new", serverUrl).href);
  await page.reload();
  await until("the article form", async () => (await page.$("label[for^='title-field-']")) && page.$("text=Choose an image"), 30000);
  const labels = async () => page.$$eval("label", (ls) => ls.map((l) => l.htmlFor));
  const field = async (name) => "#" + (await labels()).find((id) => id.startsWith(`${name}-field-`));
  const articleTitles = (await labels()).filter((id) => id.startsWith("title-field-"));
  await page.fill(`#${articleTitles[0]}`, "Foto's van de kerstborrel");
  await page.fill(`#${articleTitles[1]}`, "Photos of the Christmas drinks");
  await page.getByText("Choose an image").first().click();
  const upload = await until("the media library", () => page.$("input[type=file]"), 10000);
  await upload.setInputFiles(photo);
  const chosen = await until("the uploaded photo", () => page.$("button:has-text('Choose selected'):not([disabled])"), 20000);
  await chosen.click();
  // The body's "+" menu: kring's blocks, by their labels.
  const addBlock = page.locator("button[title='Add Component']").first();
  await addBlock.scrollIntoViewIfNeeded();
  await addBlock.click();
  await page.getByText("FAQ", { exact: true }).first().click();
  await page.fill(await field("intro"), "Alles over de borrel.");
  await page.getByRole("button", { name: /Add questions/i }).first().click();
  await page.fill(await field("question"), "Moet ik me aanmelden?");
  await page.fill(await field("answer"), "Nee: loop binnen. Zeg het als je *iets* nodig hebt.");
  if (shots) {
    // One language beside the theme's preview.
    await page.click("button[title='Toggle i18n']");
    if (!(await page.$("iframe"))) await page.click("button[title='Toggle preview']");
    await page.locator("label[for^='title-field-']").first().scrollIntoViewIfNeeded();
    await page.waitForTimeout(1500);
    await shoot(page, "article");
  }
  await page.getByText("Publish", { exact: true }).first().click();
  await page.getByText("Publish now").click();
  await until("the saved article", () => page.$("text=Entry saved"), 20000);
  console.log("ok: article with a photo and a FAQ saved through the editor");

  // A member edited: the role changed, saved.
  // (Loaded afresh: from a saved entry, Decap's router does not follow a new hash.)
  await page.goto(new URL("admin/#/collections/members/entries/noor/index", serverUrl).href);
  await page.reload();
  const role = await until("the member form", async () => {
    const id = (await labels()).find((id) => id.startsWith("role-field-"));
    return id && (await page.$(`#${id}`)) ? `#${id}` : undefined;
  }, 30000);
  await page.fill(role, "Gastvrouw van de kerstborrel");
  await page.getByText("Publish", { exact: true }).first().click();
  await page.getByText("Publish now").click();
  await until("the saved member", () => page.$("text=Entry saved"), 20000).catch(async (e) => {
    console.log(await page.evaluate(() => document.body.innerText.slice(0, 3000)));
    throw e;
  });
  console.log("ok: member edited through the editor");

  // A hand-written event (its dates unquoted TOML datetimes) saved with one field changed.
  await page.goto(new URL("admin/#/collections/events/entries/stoep-live", serverUrl).href);
  await page.reload();
  const price = await until("the event's form", async () => {
    const id = (await labels()).find((id) => id.startsWith("price-field-"));
    return id && (await page.$(`#${id}`)) ? `#${id}` : undefined;
  }, 30000);
  await page.fill(price, "Gratis, altijd");
  await page.getByText("Publish", { exact: true }).first().click();
  await page.getByText("Publish now").click();
  await until("the saved event", () => page.$("text=Entry saved"), 20000);
  console.log("ok: hand-written event saved again");
  if (elsewhere.length) failures.push(`requests to other hosts while editing: ${elsewhere.join(", ")}`);
} finally {
  await browser.close();
}
if (failures.length) {
  console.error(failures.join("\n"));
  process.exit(1);
}
