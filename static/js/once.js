// A form that changes something is sent once: a second tap while the first
// is on its way is ignored (for 10 s, in case that one never arrives). The
// server acts once anyway; this only spares the second request.
document.querySelectorAll('form[method="post"]').forEach(function (form) {
  form.addEventListener("submit", function (event) {
    if (form.dataset.sent) {
      event.preventDefault();
      return;
    }
    form.dataset.sent = "1";
    window.setTimeout(function () {
      delete form.dataset.sent;
    }, 10000);
  });
});

// Coming back with the Back button shows the page as it was left: sendable again.
window.addEventListener("pageshow", function (event) {
  if (!event.persisted) return;
  document.querySelectorAll("form[data-sent]").forEach(function (form) {
    delete form.dataset.sent;
  });
});
