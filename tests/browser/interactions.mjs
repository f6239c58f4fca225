// Page interactions for check.mjs. To add one: write an async function of a Playwright `page`
// (already loaded and checked) that returns a list of problems (strings), or throws; give it a
// name here; name it in a page of tests/browser.rs (`.with_interaction("name")`).
export const interactions = {
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
