// For the reader in danger (docs/theme.md): the quick exit button and its keys, the offline
// worker and the share bar. Without JavaScript the exit button is a plain link.
(function () {
  "use strict";
  var root = document.documentElement;
  var exit = document.querySelector("[data-exit]");
  if (exit) {
    var status = exit.parentNode.querySelector("[role=status]");
    var presses = 0, last = "", timer = 0, modified = false;
    var leave = function () {
      root.classList.add("leaving");
      var cover = document.createElement("div");
      cover.className = "leaving-cover";
      cover.setAttribute("role", "alert");
      document.body.appendChild(cover);
      cover.textContent = exit.getAttribute("data-leaving");
      location.replace(exit.href);
    };
    exit.addEventListener("click", function (event) {
      event.preventDefault();
      leave();
    });
    // Shift pressed alone three times (as GOV.UK's "Exit this page"), or Esc three times,
    // each within 5 seconds of the one before.
    document.addEventListener("keyup", function (event) {
      var key = event.key;
      if ((key === "Shift" && !modified) || key === "Escape") {
        presses = key === last ? presses + 1 : 1;
        last = key;
        clearTimeout(timer);
        timer = setTimeout(function () { presses = 0; status.textContent = ""; }, 5000);
        if (presses >= 3) {
          presses = 0;
          leave();
        } else if (key === "Shift") {
          status.textContent = exit.getAttribute(presses === 1 ? "data-two" : "data-one");
        }
      } else {
        presses = 0;
      }
      modified = event.shiftKey;
    }, true);
    // Back to a page kept by the browser: take the cover away.
    window.addEventListener("pageshow", function () {
      root.classList.remove("leaving");
      var cover = document.querySelector(".leaving-cover");
      if (cover) cover.remove();
    });
  }

  var script = document.currentScript;
  var worker = script && script.getAttribute("data-worker");
  if (worker && "serviceWorker" in navigator) {
    navigator.serviceWorker.register(worker).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      if (registration.active) registration.active.postMessage({ lang: root.lang, page: location.pathname });
    }).catch(function () {});
  }
})();
