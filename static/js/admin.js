// The admin's two-list picker (filter_horizontal) labels its search icon with
// aria-label on a plain <span>, which assistive technology may ignore; as an
// image the label is read. The picker is built on "load", so this runs after it.
window.addEventListener("load", function () {
  window.setTimeout(function () {
    document.querySelectorAll(".selector span[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  }, 0);
});
