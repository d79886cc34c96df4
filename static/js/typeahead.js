// Type-ahead for <select data-typeahead="URL"> (contract form): Tom Select,
// vendored under static/vendor/tom-select. Options come from the URL as
// {"results": [{"value", "text"}]}; a select with data-depends="id_other"
// passes the other field's value (the seller's achievements, the buyer's
// demands) and is emptied when it changes.
(function () {
  "use strict";
  if (typeof TomSelect === "undefined") { return; }
  var widgets = {};
  document.querySelectorAll("select[data-typeahead]").forEach(function (select) {
    var depends = select.dataset.depends;
    var widget = new TomSelect(select, {
      valueField: "value",
      labelField: "text",
      searchField: ["text"],
      preload: "focus",
      maxOptions: 20,
      loadThrottle: 250,
      shouldLoad: function () { return true; },
      load: function (query, callback) {
        var url = select.dataset.typeahead + "&q=" + encodeURIComponent(query);
        if (depends) {
          var other = document.getElementById(depends);
          if (other && other.value) {
            url += "&" + depends.replace("id_", "") + "=" + encodeURIComponent(other.value);
          }
        }
        fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
          .then(function (r) { return r.json(); })
          .then(function (data) { callback(data.results); })
          .catch(function () { callback(); });
      },
      render: {
        no_results: function () { return '<div class="no-results">' + (select.dataset.empty || "—") + "</div>"; }
      }
    });
    widgets[select.id] = widget;
    if (depends) {
      var other = document.getElementById(depends);
      if (other) {
        other.addEventListener("change", function () {
          widget.clear();
          widget.clearOptions();
        });
      }
    }
  });
})();
