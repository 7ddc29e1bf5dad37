// Draws the worker's trend chart from the figures the page already holds; the table below it has the same numbers.
(function () {
  var canvas = document.getElementById('trend-chart');
  if (!canvas || typeof Chart === 'undefined') return;
  var trends = JSON.parse(canvas.getAttribute('data-trends'));
  var labels = trends.periods.map(function (p) {
    return p.label;
  });
  new Chart(canvas, {
    type: 'line',
    data: {
      labels: labels,
      datasets: [
        {
          label: 'Mean pressure (1–4)',
          data: trends.periods.map(function (p) {
            return p.meanPressure;
          }),
          borderColor: '#a4111b',
          backgroundColor: '#a4111b',
          borderDash: [6, 4],
          pointStyle: 'triangle',
          pointRadius: 4,
          yAxisID: 'y',
        },
        {
          label: 'Mean rung reached (1–7)',
          data: trends.periods.map(function (p) {
            return p.meanRung;
          }),
          borderColor: '#0b4f8a',
          backgroundColor: '#0b4f8a',
          pointStyle: 'circle',
          pointRadius: 4,
          yAxisID: 'y',
        },
      ],
    },
    options: {
      animation: false,
      responsive: true,
      plugins: { legend: { labels: { usePointStyle: true } } },
      scales: { y: { min: 0, max: 7, title: { display: true, text: 'Scale value' } } },
    },
  });
})();
