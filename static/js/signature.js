/* Optional drawn signature: a canvas that writes a PNG data URL into the
   hidden field. Without JavaScript the typed name is the signature. The
   canvas is aria-hidden: drawing is not possible without a pointer, and the
   signature is optional, so nobody is stuck. */
(function () {
  "use strict";

  var LIMIT = 190 * 1024;  // the server refuses more than 200 kB

  function setUp(box) {
    var field = box.querySelector('input[type="hidden"]');
    var saved = box.querySelector("[data-signature-saved]");
    var nojs = box.querySelector("[data-signature-nojs]");
    if (nojs) { nojs.parentNode.removeChild(nojs); }

    var hint = document.createElement("p");
    hint.className = "hint";
    // the page's language: the template gives the words (data-hint, data-clear)
    hint.textContent = box.getAttribute("data-hint") || "Sign in the box with your finger or a mouse.";
    var canvas = document.createElement("canvas");
    canvas.className = "signature__pad";
    canvas.setAttribute("aria-hidden", "true");
    var tools = document.createElement("div");
    tools.className = "signature__tools";
    var clear = document.createElement("button");
    clear.type = "button";
    clear.className = "button button--secondary";
    clear.textContent = box.getAttribute("data-clear") || "Clear signature";
    tools.appendChild(clear);
    box.appendChild(hint);
    box.appendChild(canvas);
    box.appendChild(tools);

    var ctx = canvas.getContext("2d");
    var drawing = false;
    var drawn = false;
    var scale = Math.min(window.devicePixelRatio || 1, 2);

    function size() {
      var rect = canvas.getBoundingClientRect();
      canvas.width = Math.round(rect.width * scale);
      canvas.height = Math.round(rect.height * scale);
      ctx.setTransform(scale, 0, 0, scale, 0, 0);
      ctx.lineWidth = 2.5;
      ctx.lineCap = "round";
      ctx.lineJoin = "round";
      ctx.strokeStyle = "#111";
      drawn = false;
    }

    function point(event) {
      var rect = canvas.getBoundingClientRect();
      return { x: event.clientX - rect.left, y: event.clientY - rect.top };
    }

    function save() {
      var url = canvas.toDataURL("image/png");
      if (url.length > LIMIT) {
        var small = document.createElement("canvas");
        small.width = Math.round(canvas.width / (2 * scale));
        small.height = Math.round(canvas.height / (2 * scale));
        small.getContext("2d").drawImage(canvas, 0, 0, small.width, small.height);
        url = small.toDataURL("image/png");
      }
      field.value = url.length > LIMIT ? "" : url;
    }

    canvas.addEventListener("pointerdown", function (event) {
      event.preventDefault();
      canvas.setPointerCapture(event.pointerId);
      drawing = true;
      var p = point(event);
      ctx.beginPath();
      ctx.moveTo(p.x, p.y);
      ctx.lineTo(p.x + 0.1, p.y + 0.1);
      ctx.stroke();
    });
    canvas.addEventListener("pointermove", function (event) {
      if (!drawing) { return; }
      var p = point(event);
      ctx.lineTo(p.x, p.y);
      ctx.stroke();
      drawn = true;
    });
    function stop() {
      if (!drawing) { return; }
      drawing = false;
      if (drawn) {
        save();
        if (saved) { saved.hidden = true; }
      }
    }
    canvas.addEventListener("pointerup", stop);
    canvas.addEventListener("pointercancel", stop);
    clear.addEventListener("click", function () {
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      field.value = "";
      drawn = false;
      if (saved) { saved.hidden = true; }
    });
    size();
  }

  function init() {
    var boxes = document.querySelectorAll("[data-signature]");
    for (var i = 0; i < boxes.length; i++) { setUp(boxes[i]); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
