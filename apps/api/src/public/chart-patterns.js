// Fill patterns for chart series, so that series differ by pattern as well as colour and read without it.
// Loaded before the page's own chart script; the dashboard and the worker's trends share it.
(function () {
  function pattern(index, colour) {
    var c = document.createElement('canvas');
    c.width = c.height = 10;
    var g = c.getContext('2d');
    g.fillStyle = '#ffffff';
    g.fillRect(0, 0, 10, 10);
    g.strokeStyle = colour;
    g.fillStyle = colour;
    g.lineWidth = 2;
    switch (index % 8) {
      case 0:
        g.fillRect(0, 0, 10, 10);
        break;
      case 1:
        g.beginPath();
        g.moveTo(0, 10);
        g.lineTo(10, 0);
        g.stroke();
        break;
      case 2:
        g.beginPath();
        g.arc(5, 5, 2.5, 0, 2 * Math.PI);
        g.fill();
        break;
      case 3:
        g.beginPath();
        g.moveTo(0, 5);
        g.lineTo(10, 5);
        g.stroke();
        break;
      case 4:
        g.beginPath();
        g.moveTo(5, 0);
        g.lineTo(5, 10);
        g.stroke();
        break;
      case 5:
        g.beginPath();
        g.moveTo(0, 0);
        g.lineTo(10, 10);
        g.moveTo(0, 10);
        g.lineTo(10, 0);
        g.stroke();
        break;
      case 6:
        g.beginPath();
        g.moveTo(0, 0);
        g.lineTo(10, 10);
        g.stroke();
        break;
      default:
        g.strokeRect(2, 2, 6, 6);
    }
    return g.createPattern(c, 'repeat');
  }

  window.praxisPattern = pattern;
  // On a phone a chart as wide as the screen and half as tall leaves its lines and bars a sliver under its legend and
  // its rotated period labels ("Oct 2026 (not shown yet)"): there every chart is nearly as tall as wide, with a
  // smaller legend. The options every chart starts from, with its legend's point style.
  var narrow = window.matchMedia('(max-width: 40rem)').matches;
  window.praxisNarrow = narrow;
  window.praxisChartOptions = function (usePointStyle) {
    var labels = narrow
      ? { usePointStyle: usePointStyle, boxWidth: usePointStyle ? 10 : 20, padding: 6, font: { size: 11 } }
      : { usePointStyle: usePointStyle };
    return {
      animation: false,
      responsive: true,
      aspectRatio: narrow ? 0.9 : 2,
      plugins: { legend: { labels: labels } },
    };
  };
})();
