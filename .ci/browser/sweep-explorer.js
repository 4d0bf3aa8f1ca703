// Opens a page holding NeuroMask sweep explorers (an executed notebook in the classic Notebook UI, an nbconvert
// HTML export or the CLI's standalone page) in headless Chromium, moves every slider of every explorer to its
// first and last position (the others staying where they are), and after each move records what the page shows:
// the slider positions, the SHA-256 of the mask's and the overlay's image data (their data: URIs), and the
// table's texts. Saves a screenshot and prints one JSON line: {explorers: [{id, states: [...]}], pageErrors}.
//   node sweep-explorer.js <url> <screenshot.png> <minimum explorers> [timeout ms]
// Used by SweepExplorerBrowserTest; CHROMIUM overrides /usr/bin/chromium.
const puppeteer = require('puppeteer-core');
const crypto = require('crypto');

const sha256 = s => crypto.createHash('sha256').update(s, 'utf8').digest('hex');

(async () => {
  const [url, screenshot, minimumArg, timeoutArg] = process.argv.slice(2);
  const minimum = Number(minimumArg || 1);
  const timeout = Number(timeoutArg || 120000);
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage',
      '--allow-file-access-from-files'],
  });
  try {
    const page = await browser.newPage();
    const pageErrors = [];
    page.on('pageerror', e => pageErrors.push(String(e)));
    await page.setViewport({width: 1280, height: 1000});
    // Exported HTML may reference CDNs (nbconvert's template, not the explorer): nothing outside is reachable, so
    // do not wait for the network to settle.
    await page.goto(url, {waitUntil: 'load', timeout: 60000});
    // Every explorer's script has run: it marks its root data-ready.
    await page.waitForFunction(n => document.querySelectorAll('.nm-sweep[data-ready]').length >= n,
      {timeout, polling: 250}, minimum);
    const explorers = await page.evaluate(() => {
      const out = [];
      for (const root of document.querySelectorAll('.nm-sweep')) {
        const id = root.id;
        const el = k => document.getElementById(id + '-' + k);
        const sliders = Array.from(root.querySelectorAll('input[type=range]'));
        const terms = [];
        for (let t = 0; el('term-' + t); t++) {
          terms.push(t);
        }
        const read = moved => ({
          moved,
          positions: sliders.map(s => ({axis: Number(s.dataset.axis), index: Number(s.value),
            shown: el('value-' + s.dataset.axis).textContent})),
          mask: el('mask').src,
          overlay: el('overlay').src,
          area: el('area').textContent,
          p: el('p').textContent,
          kept: el('kept').textContent,
          loss: el('loss').textContent,
          terms: terms.map(t => el('term-' + t).textContent),
        });
        const states = [read(null)];
        for (const s of sliders) {
          for (const v of [0, Number(s.max)]) {
            s.value = String(v);
            s.dispatchEvent(new Event('input', {bubbles: true}));
            states.push(read(Number(s.dataset.axis)));
          }
        }
        out.push({id, sliders: sliders.length, states});
      }
      return out;
    });
    for (const x of explorers) {
      for (const s of x.states) {
        s.maskSha256 = sha256(s.mask);
        s.overlaySha256 = sha256(s.overlay);
        delete s.mask;
        delete s.overlay;
      }
    }
    // The classic UI scrolls inside #site: grow the window to the content for a full capture.
    const height = await page.evaluate(() => {
      const site = document.querySelector('#site');
      const header = document.querySelector('#header');
      return Math.ceil((header ? header.offsetHeight : 0) + (site ? site.scrollHeight : document.body.scrollHeight)) + 20;
    });
    await page.setViewport({width: 1280, height: Math.min(height, 16000)});
    await new Promise(r => setTimeout(r, 500));
    await page.screenshot({path: screenshot});
    console.log(JSON.stringify({explorers, pageErrors}));
  } finally {
    await browser.close();
  }
})().catch(e => {
  console.error(e);
  process.exit(1);
});
