// Keeps the newsletter's sending progress page current by asking for its figures every
// few seconds while the issue is being sent. Without JavaScript the page shows the same
// figures on each reload.
(function () {
  "use strict";
  var section = document.getElementById("sending-progress");
  if (!section) return;
  var url = section.getAttribute("data-progress-url");
  var numbers = new Intl.NumberFormat("en");

  function show(id, value) {
    var element = document.getElementById(id);
    if (element) element.textContent = value;
  }

  function update(progress) {
    show("progress-summary", progress.summary);
    show("progress-status", progress.status);
    show("progress-sent", numbers.format(progress.sent));
    show("progress-pending", numbers.format(progress.pending));
    show("progress-failed", numbers.format(progress.failed));
    show("progress-skipped", numbers.format(progress.skipped));
    var bar = document.getElementById("progress-bar");
    if (bar) {
      bar.max = progress.total || 1;
      bar.value = progress.done;
      bar.textContent = progress.done + " / " + progress.total;
    }
    return progress.status !== "sent";
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("progress: " + response.status);
        return response.json();
      })
      .then(function (progress) {
        if (update(progress)) window.setTimeout(poll, 2000);
      })
      .catch(function () {
        window.setTimeout(poll, 10000); // a hiccup: try again a little later
      });
  }

  window.setTimeout(poll, 1000);
})();
