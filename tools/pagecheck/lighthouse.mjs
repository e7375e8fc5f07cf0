// Runs Lighthouse's performance, accessibility, best-practices and SEO
// audits on each page given, in one headless Chromium, with Lighthouse's
// default phone emulation, and prints one JSON array: per page, the
// category scores and every audit that did not pass.
//
// The pages come as one JSON argument: [{"url": "...", "cookie": "..."}],
// the cookie (optional) sent with the page's requests for pages behind a
// login.
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';

const categories = ['performance', 'accessibility', 'best-practices', 'seo'];
// Performance is simulated from the CPU time the page's work took here, so
// a busy machine only lowers it: a page gets up to this many runs, and its
// best performance score counts.
const performanceRuns = 3;
const pages = JSON.parse(process.argv[2] || '[]');
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH,
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});

async function audit(page, onlyCategories) {
  const { lhr } = await lighthouse(page.url, {
    port: chrome.port, logLevel: 'error', onlyCategories,
    extraHeaders: page.cookie ? { Cookie: page.cookie } : undefined,
    // Nothing here needs the page's picture; it only costs time.
    disableFullPageScreenshot: true, skipAboutBlank: true,
    // Server-rendered pages with one deferred script settle at once.
    pauseAfterFcpMs: 0, pauseAfterLoadMs: 250, networkQuietThresholdMs: 250, cpuQuietThresholdMs: 250,
  });
  return lhr;
}

function failingAudits(lhr, id) {
  const failing = [];
  for (const ref of lhr.categories[id].auditRefs) {
    const a = lhr.audits[ref.id];
    if (ref.weight > 0 && a.score !== null && a.score < 1) {
      const items = (a.details && a.details.items || []).slice(0, 5).map((item) =>
        JSON.stringify(item.node ? { selector: item.node.selector, snippet: item.node.snippet } : item).slice(0, 300));
      const value = a.displayValue ? ` (${a.displayValue})` : '';
      failing.push({ category: id, id: ref.id, title: a.title + value, items });
    }
  }
  return failing;
}

const results = [];
try {
  for (const page of pages) {
    let lhr = await audit(page, categories);
    for (let run = 1; run < performanceRuns && lhr.categories.performance.score < 1 && !lhr.runtimeError; run++) {
      const again = await audit(page, ['performance']);
      if (again.categories.performance.score > lhr.categories.performance.score) {
        lhr.categories.performance = again.categories.performance;
        for (const ref of again.categories.performance.auditRefs) {
          lhr.audits[ref.id] = again.audits[ref.id];
        }
      }
    }
    const scores = {};
    const failing = [];
    for (const id of categories) {
      scores[id] = lhr.categories[id].score;
      // A metric a little short of its best can still round to 100.
      if (id !== 'performance' || scores[id] < 1) {
        failing.push(...failingAudits(lhr, id));
      }
    }
    results.push({ url: page.url, scores, failing, runtimeError: lhr.runtimeError ? lhr.runtimeError.message : '' });
  }
} finally {
  await chrome.kill();
}
process.stdout.write(JSON.stringify(results) + '\n');
