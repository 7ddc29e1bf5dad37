// Draws "How embedded is co-production?" and "Making the case for co-production" from data-practice; tables under each hold the figures.
// Series differ by fill pattern as well as colour, so they read without colour.
(function () {
  var root = document.getElementById('practice');
  if (!root || typeof Chart === 'undefined') return;
  var data = JSON.parse(root.getAttribute('data-practice'));
  var INK = ['#0b4f8a', '#00703c', '#6f3c97', '#b35900', '#505a5f'];

  var pattern = window.praxisPattern;

  // Nearly as tall as wide on a phone, with a smaller legend (chart-patterns.js), so every argument's label has room.
  var common = window.praxisChartOptions(false);
  var stacked = {
    x: { stacked: true },
    y: { stacked: true, beginAtZero: true, title: { display: true, text: 'Reflections' } },
  };

  new Chart(document.getElementById('embedding-chart'), {
    type: 'bar',
    data: {
      labels: data.periods.map(function (p) {
        return p.open ? p.label + ' (not shown yet)' : p.suppressed ? p.label + ' (hidden)' : p.label;
      }),
      datasets: data.embeddingLabels.map(function (label, i) {
        return {
          label: label,
          data: data.periods.map(function (p) {
            return p.counts ? p.counts[i] : null;
          }),
          backgroundColor: pattern(i, INK[i]),
          borderColor: INK[i],
          borderWidth: 1,
        };
      }),
    },
    options: Object.assign({}, common, { scales: stacked }),
  });

  new Chart(document.getElementById('advocacy-chart'), {
    type: 'bar',
    data: {
      labels: data.arguments.map(function (a) {
        return a.label;
      }),
      datasets: data.receptionLabels.map(function (label, i) {
        return {
          label: label,
          data: data.arguments.map(function (a) {
            return a.counts[i];
          }),
          backgroundColor: pattern(i, INK[i]),
          borderColor: INK[i],
          borderWidth: 1,
        };
      }),
    },
    options: Object.assign({}, common, {
      indexAxis: 'y',
      scales: {
        x: { stacked: true, beginAtZero: true, title: { display: true, text: 'Reflections' } },
        // Every argument named, however little room: Chart.js otherwise skips labels that would crowd.
        y: { stacked: true, ticks: { autoSkip: false } },
      },
    }),
  });
})();
