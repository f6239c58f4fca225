// Fills a translation pack (`loa i18n export --format html`) in headless Chromium at phone size,
// as tests/suite/translation_exchange.rs asks: types each translation, reloads to see the work
// kept in the browser, saves the XLIFF file the pack writes, and reads the print layout.
// plan.json: {"chromium": "/usr/bin/chromium", "pack": "/abs/pack.html", "out": "/abs/saved.xlf",
//   "shots": "DIR", "fills": {"<data-key>": "translation", …}}
// Prints one JSON object: {"kept": bool, "lost": [boxes that lost their text], "printColumns": n,
// "requests": [urls outside the file]}.
import { readFileSync, mkdtempSync, rmSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const plan = JSON.parse(readFileSync(process.argv[2], "utf8"));
const profile = mkdtempSync(join(tmpdir(), "loa-pack-"));
mkdirSync(plan.shots, { recursive: true });
const context = await chromium.launchPersistentContext(profile, {
  executablePath: plan.chromium,
  headless: true,
  acceptDownloads: true,
  viewport: { width: 360, height: 740 },
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const requests = [];
try {
  const page = context.pages()[0] ?? (await context.newPage());
  page.on("request", (request) => {
    const url = request.url();
    if (!url.startsWith("file:") && !url.startsWith("blob:") && !url.startsWith("data:")) {
      requests.push(url);
    }
  });
  const url = pathToFileURL(plan.pack).href;
  await page.goto(url);
  for (const [key, text] of Object.entries(plan.fills)) {
    await page.locator(`textarea[data-key="${key}"]`).fill(text);
  }
  await page.reload();
  const lost = [];
  for (const [key, text] of Object.entries(plan.fills)) {
    const value = await page.locator(`textarea[data-key="${key}"]`).inputValue();
    if (value !== text) lost.push({ key, value, text });
  }
  const kept = lost.length === 0;
  await page.screenshot({ path: join(plan.shots, "pack-phone.png") });
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#save")]);
  await download.saveAs(plan.out);
  await page.emulateMedia({ media: "print" });
  const printColumns = await page.$eval(".unit", (unit) =>
    getComputedStyle(unit).gridTemplateColumns.split(" ").filter(Boolean).length);
  await page.pdf({ path: join(plan.shots, "pack-print.pdf"), format: "A4" });
  process.stdout.write(JSON.stringify({ kept, lost, printColumns, requests }) + "\n");
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
