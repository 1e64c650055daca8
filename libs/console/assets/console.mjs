// The console's only script (CSP: script-src 'self'): govuk-frontend's components, then each chart drawn by
// Apache ECharts from the JSON block beside it. The same figures are in a table on the page (the text alternative).
import { initAll } from './govuk/govuk-frontend.min.js';

initAll();

function loadEcharts() {
  return new Promise((resolve, reject) => {
    if (window.echarts) return resolve(window.echarts);
    const script = document.createElement('script');
    script.src = new URL('./echarts.min.js', import.meta.url).href;
    script.onload = () => resolve(window.echarts);
    script.onerror = reject;
    document.head.appendChild(script);
  });
}

// A funnel plot: each force at (closed cases, share) against the national share and its control limits.
function drawFunnel(chart, data) {
  const limit = (index, name, type) => ({
    type: 'line', name, showSymbol: false, data: data.limits.map((row) => [row[0], row[index]]),
    lineStyle: { type, color: '#505a5f', width: 1 }, silent: true,
  });
  chart.setOption({
    aria: { enabled: true },
    animation: false,
    grid: { left: 50, right: 20, top: 30, bottom: 50 },
    legend: { top: 0 },
    tooltip: { trigger: 'item', formatter: (p) => (p.seriesType === 'scatter' ? `${p.data[2]}: ${p.data[1]}% of ${p.data[0]}` : '') },
    xAxis: { type: 'value', name: 'Closed cases', nameLocation: 'middle', nameGap: 30, min: 0 },
    yAxis: { type: 'value', name: '%', min: 0, max: 100 },
    series: [
      { type: 'scatter', name: 'Forces', data: data.points.map((p) => [p.n, p.percent, p.name]), itemStyle: { color: '#1d70b8' }, symbolSize: 10 },
      ...(data.nationalPercent === null ? [] : [{
        type: 'line', name: 'England and Wales', showSymbol: false, silent: true,
        data: [[0, data.nationalPercent], [data.limits.at(-1)?.[0] ?? 1, data.nationalPercent]], lineStyle: { color: '#d4351c' },
      }]),
      limit(2, '95% limits', 'dashed'), limit(3, '95% limits', 'dashed'), limit(1, '99.8% limits', 'dotted'), limit(4, '99.8% limits', 'dotted'),
    ],
  });
}

const charts = document.querySelectorAll('[data-chart]');
if (charts.length > 0) {
  loadEcharts().then((echarts) => {
    for (const element of charts) {
      const data = JSON.parse(document.getElementById(element.dataset.chart).textContent);
      const chart = echarts.init(element, null, { renderer: 'svg' });
      if (data.kind === 'funnel') {
        drawFunnel(chart, data);
        continue;
      }
      const series = [{ type: 'bar', name: data.title, data: data.values, itemStyle: { color: '#1d70b8' } }];
      if (data.national !== null) {
        series[0].markLine = { symbol: 'none', data: [{ yAxis: data.national, name: 'England and Wales' }], lineStyle: { color: '#d4351c' }, label: { formatter: 'England and Wales {c}' } };
      }
      chart.setOption({
        aria: { enabled: true },
        animation: false,
        grid: { left: 50, right: 20, top: 20, bottom: 100 },
        tooltip: { trigger: 'axis' },
        xAxis: { type: 'category', data: data.categories, axisLabel: { rotate: 60, interval: 0 } },
        yAxis: { type: 'value' },
        series,
      });
      window.addEventListener('resize', () => chart.resize());
    }
    performance.mark('nom-charts-rendered');
    document.body.dataset.chartsRendered = 'true';
  }).catch((error) => {
    document.body.dataset.chartsRendered = 'failed';
    console.error('charts not drawn', error);
  });
} else {
  document.body.dataset.chartsRendered = 'none';
}
