/* Patient pages, progressive enhancement only: everything works without it.
   - moves focus to the error summary, or to the heading after navigating;
   - shows and hides questions as the patient answers (the conditions come
     from the questionnaire, as data attributes; the server decides again);
   - "None of these"-style answers untick the others, and the other way round. */
(function () {
  "use strict";

  function focusStart() {
    var target = document.querySelector("[data-error-summary]") ||
      document.querySelector("[data-step-title]");
    if (target && document.activeElement !== target) {
      target.focus({ preventScroll: target.hasAttribute("data-step-title") });
    }
  }

  function isBlank(value) {
    return value === undefined || value === null ||
      (typeof value === "string" && value.trim() === "") ||
      (Array.isArray(value) && value.length === 0);
  }

  function ageOn(birth, today) {
    if (typeof birth !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(birth)) { return null; }
    var b = birth.split("-").map(Number);
    var t = today.split("-").map(Number);
    var age = t[0] - b[0];
    if (t[1] < b[1] || (t[1] === b[1] && t[2] < b[2])) { age -= 1; }
    return age;
  }

  function Questions(form) {
    this.form = form;
    this.context = JSON.parse(form.getAttribute("data-context") || "{}");
    /* The question age_under reads: the one with role date_of_birth. */
    this.dateOfBirth = form.getAttribute("data-date-of-birth");
    this.wrappers = {};
    var all = form.querySelectorAll("[data-question]");
    for (var i = 0; i < all.length; i++) {
      this.wrappers[all[i].getAttribute("data-question")] = all[i];
    }
  }

  /* The current answer to a question on this page, shaped like the stored answer. */
  Questions.prototype.value = function (id) {
    var wrapper = this.wrappers[id];
    var inputs = this.form.querySelectorAll('[name="' + id + '"]');
    if (inputs.length === 0) {
      var parts = ["year", "month", "day"].map(function (p) {
        var el = wrapper.querySelector('[name="' + id + "-" + p + '"]');
        return el ? el.value.trim() : "";
      });
      if (parts.some(function (p) { return p === ""; })) { return null; }
      return parts[0] + "-" + ("0" + parts[1]).slice(-2) + "-" + ("0" + parts[2]).slice(-2);
    }
    var first = inputs[0];
    if (first.type === "radio") {
      var checked = wrapper.querySelector('input[name="' + id + '"]:checked');
      return checked ? checked.value : null;
    }
    if (first.type === "checkbox") {
      if (inputs.length === 1 && first.value === "y" && !wrapper.querySelector("fieldset")) {
        return first.checked;
      }
      return Array.prototype.filter.call(inputs, function (el) { return el.checked; })
        .map(function (el) { return el.value; });
    }
    return first.value;
  };

  Questions.prototype.answer = function (id, memo) {
    if (this.wrappers[id]) {
      return this.visible(id, memo) ? { shown: true, value: this.value(id) } : { shown: false };
    }
    if ((this.context.hidden || []).indexOf(id) !== -1) { return { shown: false }; }
    return { shown: true, value: (this.context.answers || {})[id] };
  };

  /* Evaluates one show_if condition; null means "names a hidden question". */
  Questions.prototype.test = function (cond, memo) {
    var self = this;
    if (cond.all) { return cond.all.every(function (c) { return self.test(c, memo); }); }
    if (cond.any) { return cond.any.some(function (c) { return self.test(c, memo); }); }
    if (cond.not) { return !this.test(cond.not, memo); }
    if (cond.age_under !== undefined) {
      var dob = this.answer(this.dateOfBirth, memo);
      var age = dob.shown ? ageOn(dob.value, this.context.today) : null;
      return age !== null && age < cond.age_under;
    }
    var a = this.answer(cond.question, memo);
    var v = a.value;
    if (cond.answered !== undefined) { return isBlank(v) !== cond.answered; }
    if (cond.equals !== undefined) { return v !== undefined && v !== null && v === cond.equals; }
    if (cond["in"]) { return typeof v === "string" && cond["in"].indexOf(v) !== -1; }
    if (cond.not_in) { return !(typeof v === "string" && cond.not_in.indexOf(v) !== -1); }
    if (!Array.isArray(v)) { return false; }
    if (cond.contains !== undefined) { return v.indexOf(cond.contains) !== -1; }
    return cond.contains_any.some(function (x) { return v.indexOf(x) !== -1; });
  };

  function named(cond, out, dob) {
    if (cond.all || cond.any) { (cond.all || cond.any).forEach(function (c) { named(c, out, dob); }); }
    else if (cond.not) { named(cond.not, out, dob); }
    else if (cond.age_under !== undefined) { out.push(dob); }
    else { out.push(cond.question); }
    return out;
  }

  Questions.prototype.visible = function (id, memo) {
    if (memo[id] !== undefined) { return memo[id]; }
    var raw = this.wrappers[id].getAttribute("data-show-if");
    if (!raw) { memo[id] = true; return true; }
    var cond = JSON.parse(raw);
    memo[id] = false;  // guards against cycles while this one is worked out
    var self = this;
    var shown = named(cond, [], this.dateOfBirth).every(function (q) { return self.answer(q, memo).shown; }) &&
      this.test(cond, memo);
    memo[id] = shown;
    return shown;
  };

  Questions.prototype.update = function () {
    var memo = {};
    for (var id in this.wrappers) {
      if (this.wrappers[id].hasAttribute("data-show-if")) {
        this.wrappers[id].hidden = !this.visible(id, memo);
      }
    }
  };

  /* Without JavaScript a live question says when to answer it; with it, the
     question simply appears, so the sentence is removed (and unlinked). */
  function dropConditionHints(form) {
    var hints = form.querySelectorAll(".hint--condition");
    for (var i = 0; i < hints.length; i++) {
      var id = hints[i].id;
      var users = form.querySelectorAll('[aria-describedby~="' + id + '"]');
      for (var j = 0; j < users.length; j++) {
        var rest = users[j].getAttribute("aria-describedby").split(/\s+/)
          .filter(function (x) { return x && x !== id; });
        if (rest.length) { users[j].setAttribute("aria-describedby", rest.join(" ")); }
        else { users[j].removeAttribute("aria-describedby"); }
      }
      hints[i].parentNode.removeChild(hints[i]);
    }
  }

  function exclusiveAnswers(form) {
    form.addEventListener("change", function (event) {
      var box = event.target;
      if (box.type !== "checkbox" || !box.checked) { return; }
      var group = box.closest("[data-exclusive]");
      if (!group) { return; }
      var exclusive = group.getAttribute("data-exclusive").split(" ");
      var others = group.querySelectorAll('input[type="checkbox"][name="' + box.name + '"]');
      var boxIsExclusive = exclusive.indexOf(box.value) !== -1;
      for (var i = 0; i < others.length; i++) {
        var other = others[i];
        if (other === box || !other.checked) { continue; }
        if (boxIsExclusive || exclusive.indexOf(other.value) !== -1) {
          other.checked = false;
          other.dispatchEvent(new Event("change", { bubbles: true }));
        }
      }
    });
  }

  function init() {
    var form = document.querySelector("[data-step-form]");
    if (form) {
      var questions = new Questions(form);
      dropConditionHints(form);
      exclusiveAnswers(form);
      questions.update();
      form.addEventListener("change", function () { questions.update(); });
      form.addEventListener("input", function () { questions.update(); });
    }
    focusStart();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
