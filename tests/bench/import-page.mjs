// The B1 page: starts the import worker and watches its own main thread meanwhile — every long task
// (PerformanceObserver 'longtask', > 50 ms) and the largest gap between timer ticks — the way the
// app's window stays responsive while its import worker runs.
/* global window, Worker */
const longTasks = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) longTasks.push(entry.duration);
}).observe({ type: 'longtask', buffered: true });

window.__b1 = {
  run(message) {
    return new Promise((resolve) => {
      longTasks.length = 0;
      let last = performance.now();
      let maxGap = 0;
      const ticker = setInterval(() => {
        const now = performance.now();
        maxGap = Math.max(maxGap, now - last);
        last = now;
      }, 10);
      const worker = new Worker('./import-worker.js', { type: 'module' });
      worker.onmessage = (event) => {
        clearInterval(ticker);
        worker.terminate();
        resolve({ ...event.data, longestTaskMs: Math.max(0, ...longTasks), longTasks: longTasks.length, maxTimerGapMs: maxGap });
      };
      worker.onerror = (event) => {
        clearInterval(ticker);
        resolve({ ok: false, error: `worker error: ${event.message}` });
      };
      worker.postMessage(message);
    });
  },
};
window.__b1Ready = true;
