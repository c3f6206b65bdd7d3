// Debian's Chromium through playwright-core, launched as the e2e tests launch it (test/helpers/browser.ts: no
// browser downloads, a missing Chromium is an error), plus what only the benchmarks need.
import { launchBrowser, type Browser } from '../../test/helpers/browser';

/**
 * At the display's 60 Hz no frame interval is below 16.7 ms, however light the page: without the limit Chromium makes
 * frames as fast as the page allows, so an interval measures the frame's own cost and "16 ms" can be checked as it is.
 */
export const UNLIMITED_FRAMES = ['--disable-frame-rate-limit', '--disable-gpu-vsync'];

export function openBrowser(extraArgs: string[] = []): Promise<Browser> {
  return launchBrowser({ args: extraArgs, viewport: { width: 1400, height: 900 } });
}

/**
 * Installed before the app loads: frame times (requestAnimationFrame intervals) and long tasks, read back by the bench.
 * With the frame rate unlimited (UNLIMITED_FRAMES) an interval is the time the page took to make that frame.
 */
export const FRAME_PROBE = `
  window.__probe = { frames: [], longTasks: [], events: 0, recording: false };
  (() => {
    // Count the events the page receives, to prove the load reached it (one "seq": per event in a batch).
    const Native = window.WebSocket;
    window.WebSocket = class extends Native {
      constructor(...args) {
        super(...args);
        this.addEventListener('message', (m) => {
          if (!window.__probe.recording || typeof m.data !== 'string') return;
          for (let i = m.data.indexOf('"seq":'); i !== -1; i = m.data.indexOf('"seq":', i + 6)) window.__probe.events++;
        });
      }
    };
    // A frame with nothing to draw is not made at all: a 1 px mark changes every frame, so idle and busy pages both
    // make a frame per interval (a compositor-only change, nearly free).
    const mark = document.createElement('div');
    mark.style.cssText = 'position:fixed;right:0;bottom:0;width:1px;height:1px;pointer-events:none;will-change:opacity';
    addEventListener('DOMContentLoaded', () => document.body.appendChild(mark));
    let last = 0;
    const tick = (t) => {
      if (window.__probe.recording && last) window.__probe.frames.push(t - last);
      last = t;
      mark.style.opacity = mark.style.opacity === '0.99' ? '1' : '0.99';
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    new PerformanceObserver((list) => {
      if (!window.__probe.recording) return;
      for (const e of list.getEntries()) window.__probe.longTasks.push(e.duration);
    }).observe({ type: 'longtask', buffered: false });
  })();
`;
