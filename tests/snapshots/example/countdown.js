// Keeps countdowns current after the page was built: "{days}" in data-before is the number of days left.
(function () {
  var day = 86400000;
  var today = new Date(); today.setHours(0, 0, 0, 0);
  document.querySelectorAll("[data-countdown]").forEach(function (el) {
    var parts = el.getAttribute("data-countdown").split("-");
    var target = new Date(+parts[0], +parts[1] - 1, +parts[2]);
    var days = Math.round((target - today) / day);
    var text = days > 0 ? el.getAttribute("data-before").replace("{days}", days)
      : days === 0 ? el.getAttribute("data-today") : el.getAttribute("data-after");
    if (text) el.textContent = text;
  });
})();
