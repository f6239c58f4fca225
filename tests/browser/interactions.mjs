// Page interactions for check.mjs. To add one: write an async function of a Playwright `page`
// (already loaded and checked) and the plan that returns a list of problems (strings), or
// throws; give it a name here; name it in a page of tests/browser.rs (`.with_interaction("name")`).
export const interactions = {
  // The share bar: every link carries the page's address (and Telegram and SMS its title);
  // loading the page asked no other site for anything; Zalo and "copy link" say what they did.
  "share-bar": async (page, plan) => {
    const problems = [];
    const tab = await page.context().newPage();
    const elsewhere = [];
    tab.on("request", (r) => { if (!r.url().startsWith(plan.base)) elsewhere.push(r.url()); });
    try {
      await tab.goto(page.url(), { waitUntil: "load" });
      await tab.waitForTimeout(300);
      const facts = await tab.evaluate(() => ({
        canonical: location.href,
        title: document.querySelector("h1").textContent.trim(),
        address: document.querySelector("[data-share]").getAttribute("data-url"),
        links: [...document.querySelectorAll(".share a")].map((a) => [a.textContent, decodeURIComponent(a.getAttribute("href"))]),
      }));
      if (!facts.address.endsWith(new URL(facts.canonical).pathname)) problems.push(`the share bar's address ${facts.address} is not this page's`);
      for (const name of ["Facebook", "Messenger", "Telegram"]) {
        const link = facts.links.find(([text]) => text === name);
        if (!link || !link[1].includes(facts.address)) problems.push(`${name} link ${JSON.stringify(link)} lacks ${facts.address}`);
      }
      const sms = facts.links.find(([, href]) => href.startsWith("sms:?body="));
      if (!sms || !sms[1].includes(facts.address) || !sms[1].includes(facts.title)) problems.push(`SMS link ${JSON.stringify(sms)} lacks the address or the title`);
      const telegram = facts.links.find(([text]) => text === "Telegram");
      if (telegram && !telegram[1].includes(facts.title)) problems.push("the Telegram link lacks the title");
      if (elsewhere.length) problems.push(`loading the page asked other sites: ${elsewhere.join(", ")}`);
      await tab.click('[data-copy="zalo"]');
      await tab.waitForFunction(() => document.querySelector(".share-status").textContent !== "", null, { timeout: 5000 });
      const status = await tab.textContent(".share-status");
      if (!status.includes("Zalo") && !status.includes(facts.address)) problems.push(`after tapping Zalo the bar says "${status}"`);
      const qr = await tab.evaluate(() => fetch(document.querySelector(".share-qr img").src).then((r) => r.status));
      if (qr !== 200) problems.push(`the page's QR code answers ${qr}`);
    } finally {
      await tab.close();
    }
    return problems;
  },
  // Every article at phone size: its title and three lines of its text are in the first screen,
  // above the call button; the languages and search take one row; the breadcrumb one line.
  "first-screen": async (page) => {
    const facts = await page.evaluate(() => {
      const bar = document.querySelector(".call-bar");
      const bottom = bar ? bar.getBoundingClientRect().top : innerHeight;
      const h1 = document.querySelector("article h1").getBoundingClientRect();
      // Lines of the article's text (not its title, date or download link) seen between the
      // title and the call button.
      const text = document.createTreeWalker(document.querySelector("article"), NodeFilter.SHOW_TEXT, {
        acceptNode: (node) => node.parentElement.closest("h1, .meta, .print-download") || !node.textContent.trim()
          ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
      });
      const bottoms = new Set();
      for (let node = text.nextNode(); node; node = text.nextNode()) {
        const range = document.createRange();
        range.selectNodeContents(node);
        for (const r of range.getClientRects()) if (r.top >= h1.bottom && r.bottom <= bottom) bottoms.add(Math.round(r.bottom));
      }
      const lines = [...bottoms];
      const tools = document.querySelector(".tools");
      const rowHeights = [...tools.children].map((c) => c.getBoundingClientRect().height);
      const crumbs = document.querySelector(".breadcrumbs");
      const crumbLine = crumbs ? [...crumbs.querySelectorAll("a")].map((a) => Math.round(a.getBoundingClientRect().top)) : [];
      return { titleBottom: h1.bottom, bottom, lines: lines.length, tools: tools.getBoundingClientRect().height, rowHeights, crumbTops: [...new Set(crumbLine)].length };
    });
    const problems = [];
    if (facts.titleBottom > facts.bottom) problems.push(`the title ends at ${facts.titleBottom}px, below the call button at ${facts.bottom}px`);
    if (facts.lines < 3) problems.push(`only ${facts.lines} lines of text above the call button (title ends at ${facts.titleBottom}px)`);
    if (facts.tools > Math.max(...facts.rowHeights) + 1) problems.push(`languages and search take ${facts.tools}px, more than one row`);
    if (facts.crumbTops > 1) problems.push(`the breadcrumb takes ${facts.crumbTops} lines`);
    return problems;
  },
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
    // Whole words first, only the last word as a prefix: "lua dao" marks no "luật", and the
    // plan page (which has "luật" and "Đào tạo" but not "lừa đảo") is not first.
    const fraud = await first("lua dao");
    const marks = await page.evaluate(() => [...document.querySelectorAll(".search-results mark")].map((m) => m.textContent.toLowerCase()));
    if (marks.some((m) => m.startsWith("luậ"))) problems.push(`"lua dao" marks ${JSON.stringify(marks)}`);
    if (fraud.href === "/ke-hoach-2024/") problems.push(`"lua dao" shows the plan page first`);
    const status = await page.textContent(".search-status");
    if (!/^Tìm thấy \d+ kết quả\.$/.test(status)) problems.push(`search status reads "${status}"`);
    return problems;
  },
};
