// Drives the studio of a running `loa serve` in headless Chromium; run by tests/suite/studio.rs.
//
//   node studio.mjs plan.json
//
// plan.json: {"studio": "http://127.0.0.1:PORT/_studio/", "base": "http://127.0.0.1:PORT",
//             "site": "/path/to/site", "title": "…", "slug": "…", "screenshots": "DIR",
//             "chromium": "/usr/bin/chromium"}
//
// Creates an article from a Vietnamese title, types text with diacritics, inserts a hotline
// from the toolbar, waits for the preview (rendered from the unsaved text) to show it, saves,
// and waits for the public page to show it. axe-core runs on the list and the editor.
// Prints one JSON object: {"problems": […], "file": "the saved file's text"}.
import { readFileSync, writeFileSync, mkdtempSync, rmSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const plan = JSON.parse(readFileSync(process.argv[2], "utf8"));
const problems = [];
const profile = mkdtempSync(join(tmpdir(), "loa-studio-"));
mkdirSync(plan.screenshots, { recursive: true });
const context = await chromium.launchPersistentContext(profile, {
  executablePath: plan.chromium,
  headless: true,
  viewport: { width: 1366, height: 768 },
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});
let file = "";
const report = { photo: "" };
try {
  const page = context.pages()[0] ?? (await context.newPage());
  page.on("pageerror", (e) => problems.push(`script error: ${e.message}`));
  await page.goto(plan.studio);
  await page.selectOption("#ui-lang", "vi");
  await page.waitForSelector("#page-list li");
  await page.fill("#q", "mua ban nguoi");
  const found = await page.locator("#page-list li").count();
  if (found < 1) problems.push("searching «mua ban nguoi» without diacritics finds nothing");
  await page.fill("#q", "");
  problems.push(...(await axe(page, "list")));
  await shots(page, "list");

  await page.click('a[href="#new"]');
  await page.selectOption("#n-section", "tin-tuc");
  await page.fill("#n-title", plan.title);
  const address = await page.textContent("#n-address");
  if (!address.includes(`/tin-tuc/${plan.slug}/`)) problems.push(`new page address shown: ${address}`);
  await page.click('#new-form button[type="submit"]');
  await page.waitForSelector("#view-edit:not([hidden]) #f-body");
  await page.waitForFunction((title) => document.querySelector("#f-title").value === title, plan.title);

  await page.click("#f-body");
  await page.keyboard.press("End");
  await page.keyboard.type(plan.text);
  await page.keyboard.press("Enter");
  await page.click('button[data-shortcode="hotline"]');
  await page.selectOption("#sc-id", "111");
  await page.click("#dlg-actions button.primary");
  const body = await page.inputValue("#f-body");
  if (!body.includes('{{ hotline(id="111") }}')) problems.push(`the toolbar did not insert the hotline: ${body}`);
  await previewShows(page, plan.text, "the typed text");
  await previewShows(page, 'href="tel:111"', "the inserted hotline");
  await page.keyboard.type(" Gọi ngay.");
  await previewShows(page, "Gọi ngay.", "the text typed after the hotline");
  problems.push(...(await axe(page, "editor")));
  await shots(page, "editor");

  await page.goto(`${plan.studio}#translate=${encodeURIComponent(plan.translate)}&lang=en`);
  await page.waitForSelector("#view-translate:not([hidden]) #tr-rows tr");
  problems.push(...(await axe(page, "translate")));
  await shots(page, "translate");
  await page.goto(`${plan.studio}#edit=${encodeURIComponent(`content/tin-tuc/${plan.slug}.md`)}`);
  await page.waitForFunction((title) => document.querySelector("#f-title").value === title, plan.title);
  if (!(await page.inputValue("#f-body")).includes("Gọi ngay.")) problems.push("the unsaved text was not kept in the browser");
  await page.uncheck("#f-draft");
  await save(page);
  file = readFileSync(join(plan.site, "content/tin-tuc", `${plan.slug}.md`), "utf8");
  const url = `${plan.base}/tin-tuc/${plan.slug}/`;
  let published = "";
  for (let i = 0; i < 100 && !published.includes("Gọi ngay."); i++) {
    const response = await fetch(url);
    published = response.ok ? await response.text() : "";
    if (!published.includes("Gọi ngay.")) await new Promise((r) => setTimeout(r, 200));
  }
  if (!published.includes(plan.text)) problems.push(`the public page ${url} does not show the saved text`);
  if (!/href="?tel:111/.test(published)) problems.push(`the public page ${url} does not show the hotline`);

  await page.setInputFiles("#photo", plan.photo);
  await page.waitForSelector("#photo-alt");
  const cleaned = await page.textContent("#dlg-body");
  if (!cleaned.includes("GPS")) problems.push(`the studio did not say the location was removed: ${cleaned}`);
  await page.fill("#photo-alt", "Tờ rơi cảnh báo dán ở nhà văn hóa thôn");
  await page.click("#dlg-actions button.primary");
  const withPhoto = await page.inputValue("#f-body");
  const photo = /!\[Tờ rơi cảnh báo dán ở nhà văn hóa thôn\]\(([^)]+)\)/.exec(withPhoto);
  if (!photo) problems.push(`the photo was not inserted with its alt text: ${withPhoto}`);
  await save(page);
  const moved = join(plan.site, "content/tin-tuc", plan.slug, "index.md");
  writeFileSync(moved, `---\ntitle: "${plan.title}"\n---\nSửa bằng trình soạn thảo khác.\n`);
  await page.click("#f-body");
  await page.keyboard.press("End");
  await page.keyboard.type(" Bản của tôi.");
  await page.click('#editor button[type="submit"]');
  await page.waitForSelector("#c-theirs");
  if (!(await page.inputValue("#c-theirs")).includes("Sửa bằng trình soạn thảo khác.")) problems.push("the conflict does not show the version on disk");
  if (!(await page.inputValue("#c-mine")).includes("Bản của tôi.")) problems.push("the conflict does not show the writer's version");
  if (!readFileSync(moved, "utf8").includes("Sửa bằng trình soạn thảo khác.")) problems.push("the file changed on disk was overwritten");
  problems.push(...(await axe(page, "conflict")));
  await shots(page, "conflict");
  await page.click("#dlg-actions button.primary");
  await waitSaved(page);
  file = readFileSync(moved, "utf8");
  report.photo = photo ? join(plan.site, "content/tin-tuc", plan.slug, photo[1]) : "";
  await keyboardOnly(page);
  await printFits(page);
} catch (e) {
  problems.push(`studio run failed: ${e.stack || e}`);
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
console.log(JSON.stringify({ problems, file, photo: report.photo }));

/** Every action of the studio from the keyboard alone (Tab, Enter, typing): open a page found
 * by its title, edit it, see a problem marked beside its line, insert a hotline from the
 * toolbar's form, save, open its English translation, mark it up to date, publish, make a
 * new article and rename it; axe-core once more on the translation view. */
async function keyboardOnly(page) {
  await page.goto(plan.studio);
  await page.waitForSelector("#page-list li");
  await tabTo(page, "#q");
  await page.keyboard.type("quang nam ban hanh ke hoach");
  await tabTo(page, "#page-list a.title");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => !document.querySelector("#view-edit").hidden && document.querySelector("#f-title").value);
  await tabTo(page, "#f-body");
  await page.keyboard.press("Control+End");
  await page.keyboard.type("\n\nXem [trang cũ](@/khong-co.md).");
  try {
    await page.waitForSelector("#f-marks .mark", { timeout: 10000 });
    await shots(page, "editor-problem");
  } catch {
    problems.push("keyboard: the broken link typed was not marked beside its line");
  }
  await page.keyboard.press("Control+End");
  for (let i = 0; i < "Xem [trang cũ](@/khong-co.md).".length; i++) await page.keyboard.press("Backspace");
  await page.keyboard.type("Đã sửa bằng bàn phím. ");
  await tabTo(page, 'button[data-shortcode="hotline"]', true);
  await page.keyboard.press("Enter");
  await page.waitForSelector("#dlg[open] #sc-id");
  await tabTo(page, "#dlg-actions button.primary");
  await page.keyboard.press("Enter");
  const body = await page.inputValue("#f-body");
  if (!body.includes('Đã sửa bằng bàn phím. {{ hotline(id="111") }}')) problems.push(`keyboard: the hotline was not inserted from the toolbar: ${body}`);
  await page.evaluate(() => { document.querySelector("#status").textContent = ""; });
  await tabTo(page, '#editor button[type="submit"]');
  await page.keyboard.press("Enter");
  await waitSaved(page);
  const saved = readFileSync(join(plan.site, plan.translate), "utf8");
  if (!saved.includes('Đã sửa bằng bàn phím. {{ hotline(id="111") }}')) problems.push("keyboard: the save did not write the edit");
  if (saved.includes("khong-co.md")) problems.push("keyboard: the deleted link was saved");
  await tabTo(page, 'a[href="#pages"]', true);
  await page.keyboard.press("Enter");
  await page.waitForSelector("#view-pages:not([hidden]) #page-list li");
  await tabTo(page, "#q");
  await page.keyboard.press("Control+a");
  await page.keyboard.type("quang nam ban hanh ke hoach");
  await tabTo(page, '#page-list a.translate[href$="lang=en"]');
  await page.keyboard.press("Enter");
  await page.waitForSelector("#view-translate:not([hidden]) #tr-rows tr");
  await tabTo(page, "#tr-stamp");
  await page.keyboard.press("Enter");
  try {
    await page.waitForFunction(() => /Đã đánh dấu/.test(document.querySelector("#tr-status").textContent), null, { timeout: 20000 });
  } catch {
    const seen = await page.evaluate(() => [document.activeElement.id, document.activeElement.outerHTML.slice(0, 120), document.querySelector("#tr-stamp").hidden, document.querySelector("#tr-summary").textContent]);
    problems.push(`keyboard: marking up to date did not finish: ${await page.textContent("#tr-status")} ${JSON.stringify(seen)}`);
  }
  const translation = readFileSync(join(plan.site, plan.translate.replace(/\.md$/, ".en.md")), "utf8");
  if (!/translated_from:/.test(translation)) problems.push("keyboard: the translation was not stamped");
  problems.push(...(await axe(page, "translate after keyboard")));
  await tabTo(page, "#publish", true);
  await page.keyboard.press("Enter");
  try {
    await page.waitForFunction(() => /Đã xuất bản|lỗi|Lỗi/.test(document.querySelector("#publish-result").textContent), null, { timeout: 120000 });
  } catch {
    problems.push("keyboard: publishing did not finish");
  }
  const result = await page.textContent("#publish-result");
  if (!result.includes("Đã xuất bản")) problems.push(`keyboard: publish did not succeed: ${result}`);

  await tabTo(page, 'a[href="#new"]', true);
  await page.keyboard.press("Enter");
  await page.waitForSelector("#view-new:not([hidden])");
  await tabTo(page, "#n-kind", true);
  await page.keyboard.press("ArrowDown");
  await tabTo(page, "#n-title");
  await page.keyboard.type("Bài viết từ bàn phím");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.querySelector("#f-title").value === "Bài viết từ bàn phím");
  const made = join(plan.site, "content/tin-tuc/bai-viet-tu-ban-phim.md");
  if (!/draft: true/.test(readFileSync(made, "utf8"))) problems.push("keyboard: the new article is not a draft");
  await tabTo(page, "#rename");
  await page.keyboard.press("Enter");
  await page.waitForSelector("#dlg[open] #rename-slug");
  await page.keyboard.press("Control+a");
  await page.keyboard.type("doi-ten-ban-phim");
  await tabTo(page, "#dlg-actions button.primary");
  await page.keyboard.press("Enter");
  try {
    await page.waitForFunction(() => /Đã đổi tên/.test(document.querySelector("#status").textContent), null, { timeout: 20000 });
  } catch {
    problems.push(`keyboard: renaming did not finish: ${await page.textContent("#status")}`);
  }
  const renamed = join(plan.site, "content/tin-tuc/doi-ten-ban-phim.md");
  try { readFileSync(renamed, "utf8"); } catch { problems.push("keyboard: the renamed file is not there"); }
}

/** A printed page given far too much text: the editor says it no longer fits its layout,
 * before anything is saved. */
async function printFits(page) {
  const path = "content/quyen-cua-nan-nhan.md";
  const before = readFileSync(join(plan.site, path), "utf8");
  await page.goto(`${plan.studio}#edit=${encodeURIComponent(path)}`);
  await page.waitForFunction(() => document.querySelector("#f-title").value && document.querySelector("#f-print").value);
  await page.fill("#f-body", "Người dân cần cảnh giác với lời mời đi làm việc nhẹ lương cao. ".repeat(500));
  try {
    await page.waitForFunction(() => /không vừa khổ/.test(document.querySelector("#fits").textContent), null, { timeout: 60000 });
  } catch {
    problems.push(`print: a leaflet with far too much text was not told it no longer fits: ${await page.textContent("#fits")}`);
  }
  if (readFileSync(join(plan.site, path), "utf8") !== before) problems.push("print: checking the layout wrote the file");
  await page.click("#discard");
}

/** Presses Tab (Shift+Tab when `back`) until the focused element matches `selector`; a
 * problem when it never does (the element cannot be reached from the keyboard). */
async function tabTo(page, selector, back = false) {
  for (let i = 0; i < 400; i++) {
    if (await page.evaluate((s) => document.activeElement && document.activeElement.matches(s), selector)) return;
    await page.keyboard.press(back ? "Shift+Tab" : "Tab");
  }
  throw new Error(`keyboard: ${selector} cannot be reached with Tab`);
}

/** Presses Save and waits for the studio to say it saved. */
async function save(page) {
  await page.evaluate(() => { document.querySelector("#status").textContent = ""; });
  await page.click('#editor button[type="submit"]');
  await waitSaved(page);
}

/** Waits for the studio to say it saved. */
async function waitSaved(page) {
  try {
    await page.waitForFunction(() => /Đã lưu/.test(document.querySelector("#status").textContent), null, { timeout: 10000 });
  } catch {
    const theirs = await page.evaluate(() => { const t = document.querySelector("#c-theirs"); return t ? t.value : ""; });
    throw new Error(`saving did not finish: ${await page.textContent("#status")} ${theirs}`);
  }
}

/** Waits for the preview frame to hold `needle`. */
async function previewShows(page, needle, what) {
  try {
    await page.waitForFunction((needle) => {
      const frame = document.querySelector("#pv");
      const doc = frame && frame.contentDocument;
      return doc && doc.documentElement && doc.documentElement.outerHTML.includes(needle);
    }, needle, { timeout: 10000 });
  } catch {
    problems.push(`the preview never showed ${what} (${needle})`);
  }
}

/** axe-core violations of serious or critical impact (run through the debugger, which the
 * studio's content security policy does not block). */
async function axe(page, view) {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ["violations"] })).violations);
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${view}: axe ${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`);
}

/** Screenshots of the first screen at laptop and phone sizes. */
async function shots(page, view) {
  for (const [width, height] of [[1366, 768], [360, 740]]) {
    await page.setViewportSize({ width, height });
    await page.waitForTimeout(200);
    await page.screenshot({ path: join(plan.screenshots, `studio-${view}-${width}x${height}.png`) });
  }
  await page.setViewportSize({ width: 1366, height: 768 });
}
