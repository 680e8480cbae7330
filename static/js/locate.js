// Check-in and check-out forms send the phone's location when the person
// allows it; without permission they are sent without it. They are sent
// once, and after 5 s at the latest: the geolocation timeout does not count
// the time a permission prompt waits for an answer, and a second tap while
// locating must not post the form twice.
document.querySelectorAll("form[data-locate]").forEach(function (form) {
  form.addEventListener("submit", function (event) {
    if (!navigator.geolocation) return;
    event.preventDefault();
    if (form.dataset.locating) return;
    form.dataset.locating = "1";
    var button = form.querySelector("button[type=submit]");
    if (button) button.disabled = true;
    var sent = false;
    var send = function () {
      if (sent) return;
      sent = true;
      form.submit();
    };
    window.setTimeout(send, 5000);
    navigator.geolocation.getCurrentPosition(function (position) {
      form.elements.latitude.value = position.coords.latitude.toFixed(6);
      form.elements.longitude.value = position.coords.longitude.toFixed(6);
      send();
    }, send, { timeout: 4000, maximumAge: 60000 });
  });
});

// Coming back with the Back button shows the page as it was left: tappable again.
window.addEventListener("pageshow", function (event) {
  if (!event.persisted) return;
  document.querySelectorAll("form[data-locate]").forEach(function (form) {
    delete form.dataset.locating;
    var button = form.querySelector("button[type=submit]");
    if (button) button.disabled = false;
  });
});
