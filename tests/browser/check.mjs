// Opens pages of a served site in headless Chromium and checks each one; run by tests/browser.rs.
//
//   node check.mjs plan.json
//
// plan.json: {"base": "http://127.0.0.1:PORT", "screenshots": "DIR", "chromium": "/usr/bin/chromium",
//             "pages": [{"name": "vi-article", "path": "/tin-tuc/…/", "status": 200,
//                        "viewports": [[360, 740], [1280, 800]], "interaction": "optional name"}]}
//
// Prints one JSON object: {"checked": N, "problems": ["vi-article 360x740: …", …]}.
// Each page at each viewport: HTTP status, axe-core (serious and critical violations), no horizontal
// scrolling at phone width, a visible and uncovered `tel:` link in the first screen, cumulative
// layout shift, script errors and failed requests, what prints (no navigation; hotlines and the
// page's address); screenshots of the first screen and the whole page. A page may name an
// interaction from interactions.mjs, run after the checks (at its first viewport only).
import { readFileSync, mkdtempSync, rmSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";
import { interactions } from "./interactions.mjs";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const plan = JSON.parse(readFileSync(process.argv[2], "utf8"));
const PHONE_WIDTH = 480;
const MAX_LAYOUT_SHIFT = 0.05;

const profile = mkdtempSync(join(tmpdir(), "loa-chromium-"));
mkdirSync(plan.screenshots, { recursive: true });
const context = await chromium.launchPersistentContext(profile, {
  executablePath: plan.chromium,
  headless: true,
  args: [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
});
const problems = [];
let checked = 0;
try {
  const page = context.pages()[0] ?? (await context.newPage());
  for (const spec of plan.pages) {
    for (const [index, [width, height]] of spec.viewports.entries()) {
      const where = `${spec.name} ${width}x${height} (${spec.path})`;
      const found = await checkPage(page, spec, width, height);
      if (spec.interaction && index === 0) found.push(...(await interact(page, spec.interaction)));
      problems.push(...found.map((p) => `${where}: ${p}`));
      checked++;
    }
  }
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
console.log(JSON.stringify({ checked, problems }));

/** Loads one page at one size and returns what is wrong with it. */
async function checkPage(page, spec, width, height) {
  const found = [];
  const onError = (e) => found.push(`script error: ${e.message}`);
  const onResponse = (r) => {
    if (r.status() >= 400 && r.url() !== plan.base + spec.path) found.push(`${r.status()} for ${r.url()}`);
  };
  page.on("pageerror", onError);
  page.on("response", onResponse);
  try {
    await page.setViewportSize({ width, height });
    const response = await page.goto(plan.base + spec.path, { waitUntil: "load" });
    const status = response ? response.status() : 0;
    if (status !== (spec.status ?? 200)) found.push(`HTTP status ${status}, expected ${spec.status ?? 200}`);
    found.push(...(await axeProblems(page)));
    found.push(...(await layoutProblems(page, width)));
    found.push(...(await printProblems(page)));
    const shot = join(plan.screenshots, `${spec.name}-${width}x${height}`);
    await page.screenshot({ path: `${shot}.png` });
    await page.screenshot({ path: `${shot}-full.png`, fullPage: true });
  } finally {
    page.off("pageerror", onError);
    page.off("response", onResponse);
  }
  return found;
}

/** axe-core violations of serious or critical impact. */
async function axeProblems(page) {
  await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ["violations"] })).violations);
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `axe ${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`);
}

/** Horizontal scrolling on phones, the hotline in the first screen, layout shift. */
async function layoutProblems(page, width) {
  const facts = await page.evaluate(async () => {
    window.scrollTo(0, 0);
    const root = document.documentElement;
    const visibleTel = [...document.querySelectorAll('a[href^="tel:"]')].some((a) => {
      const r = a.getBoundingClientRect();
      if (r.width === 0 || r.top < 0 || r.left < 0 || r.bottom > innerHeight || r.right > root.clientWidth) return false;
      const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      return a.checkVisibility({ visibilityProperty: true, opacityProperty: true }) && !!top && a.contains(top);
    });
    const shift = await new Promise((done) => {
      let total = 0;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) if (!e.hadRecentInput) total += e.value;
      }).observe({ type: "layout-shift", buffered: true });
      setTimeout(() => done(total), 300);
    });
    return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, visibleTel, shift };
  });
  const found = [];
  if (width <= PHONE_WIDTH && facts.scrollWidth > facts.clientWidth) {
    found.push(`scrolls sideways: content is ${facts.scrollWidth}px wide in ${facts.clientWidth}px`);
  }
  if (!facts.visibleTel) found.push("no visible tel: link in the first screen");
  if (facts.shift > MAX_LAYOUT_SHIFT) found.push(`layout shift ${facts.shift.toFixed(3)} > ${MAX_LAYOUT_SHIFT}`);
  return found;
}

/** In print: navigation hidden; the hotlines and the page's address printed. */
async function printProblems(page) {
  await page.emulateMedia({ media: "print" });
  try {
    const facts = await page.evaluate(() => {
      const shown = (el) => !!el && el.checkVisibility();
      return {
        navs: [...document.querySelectorAll("nav, .skip, .call-bar")].filter(shown).length,
        tel: [...document.querySelectorAll('a[href^="tel:"]')].filter(shown).length,
        address: shown(document.querySelector(".print-url")) ? document.querySelector(".print-url").textContent : "",
      };
    });
    const found = [];
    if (facts.navs > 0) found.push(`print: ${facts.navs} navigation elements still shown`);
    if (facts.tel === 0) found.push("print: no hotline number printed");
    if (!facts.address.includes("://")) found.push("print: the page's address is not printed");
    return found;
  } finally {
    await page.emulateMedia({ media: null });
  }
}

/** Runs a named interaction from interactions.mjs; it returns problems or throws. */
async function interact(page, name) {
  const run = interactions[name];
  if (!run) return [`no interaction named "${name}" in tests/browser/interactions.mjs`];
  try {
    return (await run(page, plan)) ?? [];
  } catch (e) {
    return [`interaction "${name}" failed: ${e.message}`];
  }
}
