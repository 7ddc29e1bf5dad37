// Draws the dashboard's charts from the figures the page holds (data-dashboard); every chart has a table under it.
// Series differ by line style, point shape and fill pattern as well as colour, so they read without colour.
(function () {
  var root = document.getElementById('dashboard');
  if (!root || typeof Chart === 'undefined') return;
  var data = JSON.parse(root.getAttribute('data-dashboard'));
  var labels = data.periods.map(function (p) {
    return p.open ? p.label + ' (not shown yet)' : p.suppressed ? p.label + ' (hidden)' : p.label;
  });
  var INK = ['#0b4f8a', '#a4111b', '#00703c', '#6f3c97', '#b35900', '#28a197', '#505a5f', '#d4351c'];

  var pattern = window.praxisPattern;
  // A pressure level with no figure to show says why in its label, as its table does.
  var STATUS = { hidden: 'hidden', 'not-yet': 'not shown yet' };

  // Nearly as tall as wide on a phone (chart-patterns.js); the challenges chart, a legend of several rows, taller.
  var narrow = window.praxisNarrow;
  var common = window.praxisChartOptions(true);

  new Chart(document.getElementById('trend-chart'), {
    type: 'line',
    data: {
      labels: labels,
      datasets: [
        {
          label: 'Mean pressure (1–4)',
          data: data.periods.map(function (p) {
            return p.meanPressure;
          }),
          borderColor: INK[1],
          backgroundColor: INK[1],
          borderDash: [6, 4],
          pointStyle: 'triangle',
          pointRadius: 5,
        },
        {
          label: 'Mean rung reached (1–7)',
          data: data.periods.map(function (p) {
            return p.meanRung;
          }),
          borderColor: INK[0],
          backgroundColor: INK[0],
          pointStyle: 'circle',
          pointRadius: 5,
        },
      ],
    },
    options: Object.assign({}, common, {
      scales: { y: { min: 0, max: 7, title: { display: true, text: 'Scale value' } } },
    }),
  });

  new Chart(document.getElementById('with-chart'), {
    type: 'bar',
    data: {
      labels: labels,
      datasets: [
        {
          label: '“Doing with” share (%)',
          data: data.periods.map(function (p) {
            return p.doingWithShare === null ? null : Math.round(p.doingWithShare * 100);
          }),
          backgroundColor: pattern(1, INK[2]),
          borderColor: INK[2],
          borderWidth: 1,
        },
      ],
    },
    options: Object.assign({}, common, {
      scales: { y: { min: 0, max: 100, title: { display: true, text: 'Per cent of reflections' } } },
    }),
  });

  new Chart(document.getElementById('practice-chart'), {
    type: 'bar',
    data: {
      labels: data.levels.map(function (l) {
        return (
          l.label + (l.meanRung === null ? ' (' + (STATUS[l.status] || 'no reflections') + ')' : ': ' + l.meanRung)
        );
      }),
      datasets: [
        {
          label: 'Mean rung reached (1–7)',
          data: data.levels.map(function (l) {
            return l.meanRung;
          }),
          backgroundColor: pattern(2, INK[0]),
          borderColor: INK[0],
          borderWidth: 1,
        },
      ],
    },
    options: Object.assign({}, common, {
      scales: { y: { min: 0, max: 7, title: { display: true, text: 'Mean rung' } } },
    }),
  });

  new Chart(document.getElementById('challenge-chart'), {
    type: 'bar',
    data: {
      labels: data.levels.map(function (l) {
        return STATUS[l.status] ? l.label + ' (' + STATUS[l.status] + ')' : l.label;
      }),
      datasets: data.challenges.map(function (c, i) {
        return {
          label: c.label,
          data: data.levels.map(function (l) {
            return l.challenges ? l.challenges[c.code] : null;
          }),
          backgroundColor: pattern(i, INK[i % INK.length]),
          borderColor: INK[i % INK.length],
          borderWidth: 1,
        };
      }),
    },
    options: Object.assign({}, common, {
      aspectRatio: narrow ? 0.75 : 2,
      scales: { y: { beginAtZero: true, title: { display: true, text: 'Reflections naming it' } } },
    }),
  });
})();
