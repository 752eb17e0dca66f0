/* Keeps what a parent typed in the request form as a draft in this browser tab's
 * sessionStorage, so a failed submit (the server unreachable, a 503, a lost connection)
 * costs nothing: coming back to the form restores the draft. The confirmation page
 * clears it. Nothing leaves the browser; closing the tab forgets it. The page works the
 * same without this script. */
(function () {
  "use strict";
  var KEY = "fiep-request-draft";
  var SKIP = { csrfmiddlewaretoken: true, website: true };

  function storage() {
    try {
      return window.sessionStorage;
    } catch (e) {
      return null; // storage disabled: no drafts
    }
  }

  var store = storage();
  if (!store) return;

  if (document.querySelector("[data-draft-clear]")) {
    store.removeItem(KEY);
    return;
  }

  var form = document.querySelector("form[data-draft]");
  if (!form) return;

  function save() {
    var draft = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || SKIP[el.name] || el.type === "submit" || el.type === "button") return;
      if (el.type === "checkbox" || el.type === "radio") {
        if (el.checked) (draft[el.name] = draft[el.name] || []).push(el.value);
      } else {
        draft[el.name] = [el.value];
      }
    });
    try {
      store.setItem(KEY, JSON.stringify(draft));
    } catch (e) {
      /* quota: keep going without a draft */
    }
  }

  function restore() {
    var draft;
    try {
      draft = JSON.parse(store.getItem(KEY) || "null");
    } catch (e) {
      draft = null;
    }
    if (!draft) return false;
    // A page the server filled in (a form shown again with errors) wins over the draft.
    if (form.hasAttribute("data-draft-bound")) return false;
    var restored = false;
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || SKIP[el.name] || !(el.name in draft)) return;
      var values = draft[el.name];
      if (el.type === "checkbox" || el.type === "radio") {
        var on = values.indexOf(el.value) !== -1;
        if (el.checked !== on) {
          el.checked = on;
          restored = true;
        }
      } else if (el.value !== values[0]) {
        el.value = values[0];
        restored = true;
      }
    });
    return restored;
  }

  if (restore()) {
    var note = document.getElementById("draft-restored");
    if (note) note.hidden = false;
  }
  form.addEventListener("input", save);
  form.addEventListener("change", save);
  form.addEventListener("submit", save);
})();
