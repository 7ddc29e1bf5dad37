// Draws "How embedded is co-production?" and "Making the case for co-production" from data-practice; tables under each hold the figures.
// Series differ by fill pattern as well as colour, so they read without colour.
(function () {
  var root = document.getElementById('practice');
  if (!root || typeof Chart === 'undefined') return;
  var data = JSON.parse(root.getAttribute('data-practice'));
  var INK = ['#0b4f8a', '#00703c', '#6f3c97', '#b35900', '#505a5f'];

  var pattern = window.praxisPattern;

  // On a phone, taller than wide with a smaller legend, so the bars (and every argument's label) have room.
  var narrow = window.matchMedia('(max-width: 40rem)').matches;
  var legendLabels = narrow
    ? { usePointStyle: false, boxWidth: 20, padding: 6, font: { size: 11 } }
    : { usePointStyle: false };
  var common = {
    animation: false,
    responsive: true,
    aspectRatio: narrow ? 0.9 : 2,
    plugins: { legend: { labels: legendLabels } },
  };
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
