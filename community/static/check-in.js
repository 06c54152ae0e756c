// The door page's camera scanner: where the browser has a BarcodeDetector, a QR code held
// up to the camera fills in the code field and submits the form. Without it (or without
// JavaScript) the helper types the code, or opens the QR code with the phone's camera app.
(function () {
  "use strict";
  var form = document.getElementById("check-in-form");
  var scanner = document.getElementById("scanner");
  if (!form || !scanner || !("BarcodeDetector" in window) || !navigator.mediaDevices) return;
  var video = document.getElementById("scanner-video");
  var status = document.getElementById("scanner-status");
  var startButton = document.getElementById("start-scan");
  var stopButton = document.getElementById("stop-scan");
  var field = document.getElementById("code");
  var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
  var stream = null;
  var REMEMBER = "check-in-camera";

  function stop() {
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    stream = null;
    video.hidden = stopButton.hidden = true;
    startButton.hidden = false;
  }

  function look() {
    if (!stream) return;
    detector.detect(video).then(function (codes) {
      if (codes.length && codes[0].rawValue) {
        field.value = codes[0].rawValue;
        stop();
        status.textContent = "Read a QR code: checking…";
        form.submit();
        return;
      }
      window.setTimeout(look, 200);
    }, function () { window.setTimeout(look, 500); });
  }

  function start() {
    status.textContent = "Starting the camera…";
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (camera) {
        stream = camera;
        video.srcObject = camera;
        video.hidden = stopButton.hidden = false;
        startButton.hidden = true;
        sessionStorage.setItem(REMEMBER, "on");
        status.textContent = "Hold the QR code up to the camera.";
        return video.play().then(look);
      })
      .catch(function (error) {
        stop();
        status.textContent = "The camera did not start (" + error.name + "): type the code instead.";
      });
  }

  scanner.hidden = false;
  startButton.addEventListener("click", start);
  stopButton.addEventListener("click", function () {
    sessionStorage.removeItem(REMEMBER);
    stop();
    status.textContent = "";
  });
  // The helper who scanned the last person scans the next one: the camera comes back on.
  if (sessionStorage.getItem(REMEMBER) === "on") start();
})();
