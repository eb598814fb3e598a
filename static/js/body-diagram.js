/* Body diagram: tapping a shape ticks or unticks the region's checkbox, and
   the shapes always show what the checkboxes say. The checkbox list stays
   the real control (keyboard, screen readers, no JavaScript); the picture is
   aria-hidden, so it only ever mirrors the list. */
(function () {
  "use strict";

  function setUp(diagram) {
    var question = diagram.closest("[data-question]");
    if (!question) { return; }
    var name = question.getAttribute("data-question");
    var boxes = {};
    var inputs = question.querySelectorAll('input[type="checkbox"][name="' + name + '"]');
    for (var i = 0; i < inputs.length; i++) { boxes[inputs[i].value] = inputs[i]; }
    var shapes = diagram.querySelectorAll("[data-region]");

    function paint() {
      for (var i = 0; i < shapes.length; i++) {
        var box = boxes[shapes[i].getAttribute("data-region")];
        shapes[i].classList.toggle("is-selected", Boolean(box && box.checked));
      }
    }

    diagram.addEventListener("click", function (event) {
      var shape = event.target.closest("[data-region]");
      if (!shape) { return; }
      var box = boxes[shape.getAttribute("data-region")];
      if (!box) { return; }
      box.checked = !box.checked;
      box.dispatchEvent(new Event("change", { bubbles: true }));
    });
    question.addEventListener("change", paint);
    diagram.hidden = false;
    paint();
  }

  function init() {
    var diagrams = document.querySelectorAll("[data-body-diagram]");
    for (var i = 0; i < diagrams.length; i++) { setUp(diagrams[i]); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
