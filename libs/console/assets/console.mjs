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

const charts = document.querySelectorAll('[data-chart]');
if (charts.length > 0) {
  loadEcharts().then((echarts) => {
    for (const element of charts) {
      const data = JSON.parse(document.getElementById(element.dataset.chart).textContent);
      const chart = echarts.init(element, null, { renderer: 'svg' });
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
