// Runs Lighthouse's accessibility, best-practices and SEO audits on each
// URL given, in one headless Chromium, and prints one JSON array: per URL,
// the category scores and every audit that did not pass.
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';

const categories = ['accessibility', 'best-practices', 'seo'];
const urls = process.argv.slice(2);
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH,
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
const results = [];
try {
  for (const url of urls) {
    const { lhr } = await lighthouse(url, {
      port: chrome.port, logLevel: 'error', onlyCategories: categories,
      // Nothing here needs the page's picture; it only costs time.
      disableFullPageScreenshot: true, skipAboutBlank: true,
      // Server-rendered pages with one deferred script settle at once.
      pauseAfterFcpMs: 0, pauseAfterLoadMs: 250, networkQuietThresholdMs: 250, cpuQuietThresholdMs: 250,
    });
    const scores = {};
    const failing = [];
    for (const id of categories) {
      const cat = lhr.categories[id];
      scores[id] = cat.score;
      for (const ref of cat.auditRefs) {
        const audit = lhr.audits[ref.id];
        if (ref.weight > 0 && audit.score !== null && audit.score < 1) {
          const items = (audit.details && audit.details.items || []).slice(0, 5).map((item) =>
            JSON.stringify(item.node ? { selector: item.node.selector, snippet: item.node.snippet } : item).slice(0, 300));
          failing.push({ category: id, id: ref.id, title: audit.title, items });
        }
      }
    }
    results.push({ url, scores, failing, runtimeError: lhr.runtimeError ? lhr.runtimeError.message : '' });
  }
} finally {
  await chrome.kill();
}
process.stdout.write(JSON.stringify(results) + '\n');
