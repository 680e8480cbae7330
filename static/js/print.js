// Buttons marked data-print open the browser's print dialog (service card,
// certificate). Here rather than in an onclick attribute: the CSP runs no inline code.
document.querySelectorAll("button[data-print]").forEach(function (button) {
  button.addEventListener("click", function () {
    window.print();
  });
});
