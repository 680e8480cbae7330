// Check-in and check-out forms send the phone's location when the person
// allows it; without permission (or after 4 s) they are sent without it.
document.querySelectorAll("form[data-locate]").forEach(function (form) {
  form.addEventListener("submit", function (event) {
    if (form.dataset.located || !navigator.geolocation) return;
    event.preventDefault();
    var send = function () { form.dataset.located = "1"; form.submit(); };
    navigator.geolocation.getCurrentPosition(function (position) {
      form.elements.latitude.value = position.coords.latitude.toFixed(6);
      form.elements.longitude.value = position.coords.longitude.toFixed(6);
      send();
    }, send, { timeout: 4000, maximumAge: 60000 });
  });
});
