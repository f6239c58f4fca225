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
};
