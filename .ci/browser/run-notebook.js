// Opens a notebook in headless Chromium through the classic Jupyter Notebook UI, runs all cells with the
// "Cell > Run All" menu, waits until every code cell has executed, takes a full-page screenshot and prints
// one JSON line: {codeCells, executedCells, images, figureCells, figureCellsWithImage, errors: [...]}.
//   node run-notebook.js <notebook url> <screenshot.png> [timeout ms]
// Used by BrowserNotebookTest; CHROMIUM overrides /usr/bin/chromium.
const puppeteer = require('puppeteer-core');

(async () => {
  const [url, screenshot, timeoutArg] = process.argv.slice(2);
  const timeout = Number(timeoutArg || 240000);
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
  });
  try {
    const page = await browser.newPage();
    const consoleErrors = [];
    page.on('pageerror', e => consoleErrors.push(String(e)));
    await page.setViewport({width: 1280, height: 1000});
    await page.goto(url, {waitUntil: 'networkidle2', timeout: 60000});
    await page.waitForFunction(
      () => window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected()
        && document.querySelector('#kernel_indicator_icon.kernel_idle_icon'),
      {timeout: 120000, polling: 250});
    // Run all cells through the menu, as a person would.
    await page.click('#celllink');
    await page.waitForSelector('#run_all_cells', {visible: true});
    await page.click('#run_all_cells > a');
    await page.waitForFunction(() => {
      const cells = Jupyter.notebook.get_cells().filter(c => c.cell_type === 'code');
      return cells.every(c => Number.isInteger(c.input_prompt_number))
        && document.querySelector('#kernel_indicator_icon.kernel_idle_icon') !== null;
    }, {timeout, polling: 500});
    // Let the last images decode before measuring and capturing.
    await page.waitForFunction(() => Array.from(document.querySelectorAll('.output_area img')).every(i => i.complete), {timeout: 10000});
    const result = await page.evaluate(() => {
      const cells = Jupyter.notebook.get_cells().filter(c => c.cell_type === 'code');
      const figure = cells.filter(c => (c.metadata.tags || []).includes('figure'));
      const rendered = img => img.complete && img.naturalWidth > 0;
      return {
        codeCells: cells.length,
        executedCells: cells.filter(c => Number.isInteger(c.input_prompt_number)).length,
        images: Array.from(document.querySelectorAll('.output_area img')).filter(rendered).length,
        figureCells: figure.length,
        figureCellsWithImage: figure.filter(c => Array.from(c.element[0].querySelectorAll('.output_area img')).some(rendered)).length,
        errors: cells.flatMap(c => c.output_area.outputs.filter(o => o.output_type === 'error').map(o => o.ename + ': ' + o.evalue))
          .concat(Array.from(document.querySelectorAll('.output_error')).map(e => e.textContent.slice(0, 300))),
      };
    });
    result.pageErrors = consoleErrors;
    // The classic UI scrolls inside #site, so a full-page capture would stop at the window: grow the
    // window to the notebook's height instead.
    const height = await page.evaluate(() => {
      const site = document.querySelector('#site');
      const header = document.querySelector('#header');
      return Math.ceil((header ? header.offsetHeight : 0) + (site ? site.scrollHeight : document.body.scrollHeight)) + 20;
    });
    await page.setViewport({width: 1280, height: Math.min(height, 16000)});
    await new Promise(r => setTimeout(r, 500));
    await page.screenshot({path: screenshot});
    console.log(JSON.stringify(result));
  } finally {
    await browser.close();
  }
})().catch(e => {
  console.error(e);
  process.exit(1);
});
