// Progressive enhancement only: every feature works without this file.
(function () {
  "use strict";
  // The live counter counts code points after NFC, as the server does, not
  // the UTF-16 units that maxlength counts.
  function countChars(text) {
    var s = text.replace(/\r\n?/g, "\n").normalize("NFC");
    return Array.from(s).length;
  }
  document.querySelectorAll("textarea[data-max]").forEach(function (area) {
    var form = area.form;
    var counter = form && form.querySelector(".counter");
    var now = counter && counter.querySelector(".counter-now");
    if (!now) return;
    var max = parseInt(area.dataset.max, 10);
    function update() {
      var n = countChars(area.value);
      now.textContent = String(n);
      counter.classList.toggle("over", n > max);
    }
    area.addEventListener("input", update);
    update();
  });
})();
