// Page interactions for check.mjs. To add one: write an async function of a Playwright `page`
// (already loaded and checked) and the plan that returns a list of problems (strings), or
// throws; give it a name here; name it in a page of tests/browser.rs (`.with_interaction("name")`).
export const interactions = {
  // Reading offline: after one visit to the home page and an article, with the network cut,
  // the home page and the article show with the offline notice, and a page never read shows
  // the offline page with the hotlines as tel: links. Then the site is built again with the
  // article changed (plan.nextBuild): online, the new article replaces the kept one and the old
  // build's cache is gone.
  offline: async (page, plan) => {
    const problems = [];
    const context = page.context();
    const tab = await context.newPage();
    const article = plan.base + plan.changed;
    const kept = (paths) => tab.waitForFunction(async (list) => {
      const found = await Promise.all(list.map((p) => caches.match(p)));
      return found.every(Boolean);
    }, paths, { timeout: 15000 });
    const offlineView = async (url) => {
      await tab.goto(url, { waitUntil: "load" });
      return tab.evaluate(() => ({
        h1: document.querySelector("h1")?.textContent ?? "",
        notice: !!document.querySelector(".offline-notice"),
        tel: document.querySelectorAll('main a[href^="tel:"]').length,
      }));
    };
    try {
      await tab.goto(plan.base + "/", { waitUntil: "load" });
      await tab.evaluate(() => navigator.serviceWorker.ready);
      await tab.goto(article, { waitUntil: "load" });
      await kept(["/", plan.changed, "/offline/"]);
      const cachesBefore = await tab.evaluate(() => caches.keys());
      await context.setOffline(true);
      for (const path of ["/", plan.changed]) {
        const view = await offlineView(plan.base + path);
        if (!view.h1 || !view.notice) problems.push(`offline, ${path} shows ${JSON.stringify(view)}`);
      }
      const unread = await offlineView(plan.base + plan.unread);
      if (unread.h1 !== "Không có kết nối mạng" || unread.tel < 3) {
        problems.push(`offline, the unread ${plan.unread} shows ${JSON.stringify(unread)}, not the offline page with 3 tel: links`);
      }
      await context.setOffline(false);
      await fetch(plan.base + "/__next-build");
      await tab.goto(article, { waitUntil: "load" });
      await tab.waitForFunction(async (old) => {
        const names = await caches.keys();
        return names.length === 1 && !old.includes(names[0]);
      }, cachesBefore, { timeout: 15000 });
      await tab.goto(article, { waitUntil: "load" });
      await kept([plan.changed]);
      await context.setOffline(true);
      const changed = await offlineView(article);
      if (changed.h1 !== plan.changedTitle) problems.push(`after the rebuild, offline, the article reads "${changed.h1}", not "${plan.changedTitle}"`);
    } finally {
      await context.setOffline(false);
      await tab.close();
    }
    return problems;
  },
  // The quick exit button, clicked and by three presses of Shift, each in a new tab: the tab
  // shows the harmless page (plan.harmless, on another origin) in place of the page (no entry
  // added to the history), and Back does not return to the site. The button is in the first screen.
  "quick-exit": async (page, plan) => {
    const problems = [];
    const box = await page.locator(".exit-button").boundingBox();
    if (!box || box.y + box.height > page.viewportSize().height) problems.push("the quick exit button is not in the first screen");
    for (const how of ["click", "shift"]) {
      const tab = await page.context().newPage();
      try {
        await tab.setViewportSize(page.viewportSize());
        await tab.goto(page.url(), { waitUntil: "load" });
        const before = await tab.evaluate(() => history.length);
        const left = tab.waitForURL(plan.harmless, { timeout: 10000 });
        if (how === "click") {
          await tab.click(".exit-button");
        } else {
          for (let i = 0; i < 3; i++) await tab.keyboard.press("Shift");
        }
        await left;
        const after = await tab.evaluate(() => ({ text: document.body.textContent, length: history.length }));
        if (!after.text.includes("harmless")) problems.push(`quick exit by ${how} shows "${after.text.slice(0, 60)}"`);
        if (after.length !== before) problems.push(`quick exit by ${how} adds an entry to the history (${before} → ${after.length})`);
        await tab.goBack().catch(() => null);
        if (tab.url().startsWith(plan.base)) problems.push(`after quick exit by ${how}, Back returns to the site: ${tab.url()}`);
      } finally {
        await tab.close();
      }
    }
    return problems;
  },
  // Keyboard users: the first Tab shows the skip link; following it, the next Tab lands in <main>.
  "skip-link": async (page) => {
    const problems = [];
    await page.keyboard.press("Tab");
    const skip = await page.evaluate(() => {
      const a = document.activeElement;
      const r = a.getBoundingClientRect();
      return { skip: a.classList.contains("skip"), inView: r.top >= 0 && r.bottom <= innerHeight && r.width > 0 };
    });
    if (!skip.skip) problems.push("the first Tab does not focus the skip link");
    if (!skip.inView) problems.push("the focused skip link is not visible");
    await page.keyboard.press("Enter");
    await page.keyboard.press("Tab");
    const inMain = await page.evaluate(() => document.querySelector("main").contains(document.activeElement));
    if (!inMain) problems.push("after the skip link, Tab does not go into <main>");
    return problems;
  },
  // Search typed without tones finds the explainer on trafficking first, with its words marked;
  // typed with tones and capitals it gives the same first result.
  "search-vietnamese": async (page) => {
    const problems = [];
    const first = async (query) => {
      await page.fill("#search-q", "");
      await page.type("#search-q", query);
      await page.waitForFunction(
        (q) => new URLSearchParams(location.search).get("q") === q && document.querySelector(".search-results li a"),
        query,
        { timeout: 10000 },
      );
      return page.evaluate(() => {
        const a = document.querySelector(".search-results li a");
        return { title: a.textContent, href: a.getAttribute("href"), marks: a.querySelectorAll("mark").length };
      });
    };
    if (await page.isVisible(".search-nojs")) problems.push("the no-JavaScript note stays with JavaScript on");
    const plain = await first("mua ban nguoi");
    if (plain.title !== "Nhận biết mua bán người và việc làm giả" || plain.href !== "/nhan-biet/") {
      problems.push(`"mua ban nguoi" shows ${JSON.stringify(plain)} first, not the explainer /nhan-biet/`);
    }
    if (plain.marks !== 3) problems.push(`"mua ban nguoi" marks ${plain.marks} words of the title, not 3`);
    const toned = await first("Mua Bán Người");
    if (toned.href !== plain.href) problems.push(`"Mua Bán Người" shows ${toned.href} first, not ${plain.href}`);
    const status = await page.textContent(".search-status");
    if (!/^Tìm thấy \d+ kết quả\.$/.test(status)) problems.push(`search status reads "${status}"`);
    return problems;
  },
};
