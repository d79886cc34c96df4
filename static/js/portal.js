// The portal's own scripts: no inline JavaScript, so the Content-Security-Policy
// can forbid it (portal/core/middleware.py). Every page works without this file.
(function () {
  "use strict";

  // <select data-autosubmit> submits its form when it changes (monitoring year).
  document.querySelectorAll("[data-autosubmit]").forEach(function (field) {
    field.addEventListener("change", function () { field.form.submit(); });
  });

  // The progress bar of a running full re-match (matching board) polls the run.
  var bar = document.getElementById("run-progress");
  if (bar && bar.dataset.active) {
    var timer = setInterval(function () {
      fetch("/api/v1/matching/runs/" + bar.dataset.run + "/", {credentials: "same-origin"})
        .then(function (r) { return r.json(); })
        .then(function (run) {
          bar.style.width = run.progress + "%";
          bar.textContent = run.progress + "%";
          bar.parentElement.setAttribute("aria-valuenow", run.progress);
          if (run.status === "done" || run.status === "failed") {
            clearInterval(timer);
            location.reload();
          }
        });
    }, 2000);
  }

  // A background job's progress bar ([data-poll]: a JSON URL of {progress, finished})
  // follows the job and reloads the page once it has finished (Excel imports).
  var poll = document.querySelector("[data-poll]");
  if (poll) {
    var pollTimer = setInterval(function () {
      fetch(poll.dataset.poll, {credentials: "same-origin"})
        .then(function (r) { return r.json(); })
        .then(function (job) {
          poll.style.width = job.progress + "%";
          poll.textContent = job.progress + "%";
          poll.parentElement.setAttribute("aria-valuenow", job.progress);
          if (job.finished) {
            clearInterval(pollTimer);
            location.reload();
          }
        });
    }, 1500);
  }
  // 搜索联想: a search box with data-suggest offers the titles and keywords that
  // start with what was typed (portal/library/suggest.py), after a pause.
  document.querySelectorAll("input[data-suggest]").forEach(function (box, n) {
    var list = document.createElement("datalist");
    list.id = "suggest-" + n;
    box.setAttribute("list", list.id);
    box.after(list);
    var timer = null;
    box.addEventListener("input", function () {
      clearTimeout(timer);
      var typed = box.value.trim();
      if (!typed) { list.replaceChildren(); return; }
      timer = setTimeout(function () {
        fetch("/api/v1/search/suggestions/?q=" + encodeURIComponent(typed))
          .then(function (r) { return r.ok ? r.json() : {suggestions: []}; })
          .then(function (data) {
            list.replaceChildren.apply(list, data.suggestions.map(function (s) {
              var option = document.createElement("option");
              option.value = s.term;
              return option;
            }));
          });
      }, 150);
    });
  });
})();
