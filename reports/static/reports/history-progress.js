// The history import's progress bar: asks the upload's progress URL every second and
// reloads the page (summary or problems) once the worker has finished.
(function () {
  "use strict";
  var section = document.getElementById("import-progress");
  if (!section || !window.fetch) return;
  var bar = document.getElementById("import-progress-bar");
  var text = document.getElementById("import-progress-text");
  var template = text.getAttribute("data-template");
  function poll() {
    fetch(section.getAttribute("data-progress-url"), {credentials: "same-origin"})
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (data.finished) { window.location.reload(); return; }
        bar.value = data.percent;
        bar.textContent = data.percent + "%";
        text.textContent = template
          .replace("{done}", data.done).replace("{total}", data.total)
          .replace("{percent}", data.percent);
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
