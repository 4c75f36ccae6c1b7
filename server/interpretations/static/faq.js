// The FAQ's filters: a <select data-autosubmit> sends its form when it changes
// (a file, not an inline handler: the pages' Content-Security-Policy allows no inline script).
document.addEventListener("change", function (event) {
  var el = event.target;
  if (el && el.hasAttribute && el.hasAttribute("data-autosubmit") && el.form) { el.form.submit(); }
});
