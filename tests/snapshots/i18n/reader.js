// Quick exit, offline, sharing (docs/theme.md); without it all are plain links.
(function () {
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
    exit.onclick = function (event) {
      event.preventDefault();
      leave();
    };
    // Shift alone or Esc, three times, each within 5 s of the last (as GOV.UK).
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
          status.textContent = exit.getAttribute(presses < 2 ? "data-two" : "data-one");
        }
      } else presses = 0;
      modified = event.shiftKey;
    }, true);
    window.addEventListener("pageshow", function () {
      root.classList.remove("leaving");
      var cover = document.querySelector(".leaving-cover");
      if (cover) cover.remove();
    });
  }

  // Share bar: the system's share sheet; Zalo and "copy link" copy the address; with an Official
  // Account id, Zalo's button, whose script loads only once Zalo is tapped.
  var share = document.querySelector("[data-share]");
  if (share) {
    var url = share.getAttribute("data-url"), title = share.getAttribute("data-title");
    var said = share.querySelector(".share-status");
    var show = function (selector) {
      var button = share.querySelector(selector);
      if (button) button.parentNode.hidden = false;
      return button;
    };
    var native = navigator.share && show("[data-share-native]");
    if (native) native.addEventListener("click", function () {
      navigator.share({ title: title, url: url }).catch(function () {});
    });
    [].forEach.call(share.querySelectorAll("[data-copy]"), function (button) {
      button.parentNode.hidden = false;
      button.addEventListener("click", function () {
        var message = share.getAttribute(button.getAttribute("data-copy") === "zalo" ? "data-zalo-copied" : "data-copied");
        var say = function (text) { return function () { said.textContent = text; }; };
        if (navigator.clipboard) navigator.clipboard.writeText(url).then(say(message), say(url));
        else say(url)();
      });
    });
    var zalo = show("[data-zalo-oa]");
    if (zalo) zalo.addEventListener("click", function () {
      zalo.hidden = true;
      var sdk = document.createElement("script");
      sdk.src = "https://sp.zalo.me/plugins/sdk.js";
      document.body.appendChild(sdk);
    });
  }

  var script = document.currentScript;
  var worker = script && script.getAttribute("data-worker");
  if (worker && "serviceWorker" in navigator) {
    navigator.serviceWorker.register(worker);
    navigator.serviceWorker.ready.then(function (registration) {
      registration.active.postMessage({ lang: root.lang, page: location.pathname });
    });
  }
})();
