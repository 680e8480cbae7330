// Buttons with class "js-print" print the page (kept out of the HTML for the CSP).
document.querySelectorAll(".js-print").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
