// Opens a page holding NeuroMask sweep explorers (an executed notebook in the classic Notebook UI, an nbconvert
// HTML export or the CLI's standalone page) in headless Chromium, moves every slider of every explorer to its
// first and last position (the others staying where they are), and after each move records what the page shows:
// the slider positions, the SHA-256 of the mask's and the overlay's image data (their data: URIs), and the
// table's texts. For every mask evolution player (.nm-evolution) it presses play and records the frame shown before
// and after (index, iteration, SHA-256 of the image data). Saves a screenshot and prints one JSON line:
// {explorers: [{id, sliders, states: [...]}], players: [{id, frames, before, after}], pageErrors}.
//   node sweep-explorer.js <url> <screenshot.png> <minimum explorers + players> [timeout ms]
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
    await page.waitForFunction(n => document.querySelectorAll('.nm-sweep[data-ready], .nm-evolution[data-ready]').length >= n
      && document.querySelectorAll('.nm-sweep:not([data-ready]), .nm-evolution:not([data-ready])').length === 0,
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
    const players = [];
    for (const id of await page.evaluate(() => Array.from(document.querySelectorAll('.nm-evolution')).map(r => r.id))) {
      const read = () => page.evaluate(i => ({
        frame: Number(document.getElementById(i).getAttribute('data-frame')),
        slider: Number(document.getElementById(i + '-slider').value),
        iteration: document.getElementById(i + '-iteration').textContent,
        src: document.getElementById(i + '-frame').src,
        marker: document.getElementById(i + '-marker').getAttribute('cx'),
      }), id);
      const before = await read();
      const frames = await page.evaluate(i => Number(document.getElementById(i + '-slider').max) + 1, id);
      await page.evaluate(i => document.getElementById(i + '-play').click(), id);
      await page.waitForFunction(i => Number(document.getElementById(i).getAttribute('data-frame')) >= 2,
        {timeout: 10000, polling: 50}, id);
      const after = await read();
      for (const f of [before, after]) {
        f.sha256 = sha256(f.src);
        delete f.src;
      }
      players.push({id, frames, before, after});
    }
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
    console.log(JSON.stringify({explorers, players, pageErrors}));
  } finally {
    await browser.close();
  }
})().catch(e => {
  console.error(e);
  process.exit(1);
});
