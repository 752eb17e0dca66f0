// Adds a search box above long select lists marked data-searchable (the district list).
// Without JavaScript the select still works, and typing letters jumps to a district.
(function () {
  "use strict";
  document.querySelectorAll("select[data-searchable]").forEach(function (select) {
    var id = select.id + "_search";
    var wrapper = document.createElement("div");
    wrapper.className = "mb-2";
    var label = document.createElement("label");
    label.className = "form-label small";
    label.htmlFor = id;
    label.textContent = select.getAttribute("data-search-label");
    var input = document.createElement("input");
    input.type = "search";
    input.id = id;
    input.className = "form-control form-control-sm";
    input.setAttribute("autocomplete", "off");
    input.setAttribute("aria-controls", select.id);
    var status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    wrapper.appendChild(label);
    wrapper.appendChild(input);
    wrapper.appendChild(status);
    select.parentNode.insertBefore(wrapper, select);
    input.addEventListener("input", function () {
      var term = input.value.trim().toLowerCase();
      var matches = [];
      Array.prototype.forEach.call(select.options, function (option) {
        if (!option.value) { return; }
        var match = !term || option.text.toLowerCase().indexOf(term) !== -1;
        option.hidden = !match;
        if (match) { matches.push(option); }
      });
      if (term && matches.length === 1) { select.value = matches[0].value; }
      status.textContent = select.getAttribute("data-search-count").replace("%s", matches.length);
    });
  });
})();
