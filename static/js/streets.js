// A street list follows the district chosen above it: only that district's
// streets can be picked. Without this script every street is listed and the
// server refuses a street outside the district.
document.querySelectorAll("select[data-district-select]").forEach(function (streets) {
  var district = document.getElementById(streets.dataset.districtSelect);
  if (!district) return;
  var follow = function () {
    Array.prototype.forEach.call(streets.options, function (option) {
      var other = option.value && district.value && option.dataset.district !== district.value;
      option.hidden = Boolean(other);
      option.disabled = Boolean(other);
      if (other && option.selected) streets.value = "";
    });
  };
  district.addEventListener("change", follow);
  follow();
});
