// advance_submit.js — issue 7's real-browser test, run by
// tests/http/test_browser_advance.py with the stack's address and the
// fixture's ids in the environment. In headless Debian chromium:
//
//   1. the vendor signs in and opens their advance;
//   2. types two answers; each saves by itself (autosave) and says so;
//   3. adds a request line item through its Add form;
//   4. submits the module, which then shows as submitted and locked;
//   5. staff signs in, opens the same advance and sees the answers and
//      the line item waiting for review.
//
// Exits 0 when every step held; otherwise prints the failing step and
// exits 1 (a screenshot of the page goes to $BO_SHOT_DIR when set).
'use strict';

const { chromium } = require('playwright-core');

const env = (k) => {
	const v = process.env[k];
	if (!v) throw new Error(`${k} is not set`);
	return v;
};
const BASE = env('BO_BASE');
const ADVANCE = `${BASE}/events/${env('BO_EVENT')}/advances/${env('BO_ADV')}`;
const TIMEOUT = 15000;

async function signIn(browser, email, password) {
	const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
	const page = await ctx.newPage();
	page.setDefaultTimeout(TIMEOUT);
	await page.goto(`${BASE}/login`);
	await page.fill('input[name=email]', email);
	await page.fill('input[name=password]', password);
	await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
	if (page.url().includes('/login')) throw new Error(`${email} could not sign in`);
	return page;
}

// The question box holding a label, and its status line.
function question(page, label) {
	return page.locator('[data-adv-question]').filter({
		has: page.locator('label', { hasText: label }),
	}).first();
}

async function answer(page, label, value) {
	const box = question(page, label);
	await box.locator('input[type=text], textarea').first().fill(value);
	// Autosave: the status line turns to "Saved" without pressing Save.
	await box.locator('[data-adv-status]').filter({ hasText: 'Saved' })
	    .waitFor({ state: 'visible' });
}

async function step(name, page, fn) {
	try {
		await fn();
		console.log(`ok - ${name}`);
	} catch (e) {
		console.log(`not ok - ${name}: ${e.message.split('\n')[0]}`);
		if (process.env.BO_SHOT_DIR && page)
			await page.screenshot({
				path: `${process.env.BO_SHOT_DIR}/failed.png`,
				fullPage: true,
			}).catch(() => {});
		throw e;
	}
}

(async () => {
	const browser = await chromium.launch({
		executablePath: process.env.BO_CHROMIUM || '/usr/bin/chromium',
		args: ['--no-sandbox', '--disable-gpu'],
	});
	let page;
	try {
		page = await signIn(browser, env('BO_VENDOR_EMAIL'), env('BO_PASSWORD'));
		await step('vendor opens the advance', page, async () => {
			await page.goto(ADVANCE);
			await page.getByRole('heading', { name: 'Stage needs' }).first()
			    .waitFor();
		});
		await step('answers save as they are typed', page, async () => {
			await answer(page, 'FOH console', 'DiGiCo SD12');
			await answer(page, 'Monitor mixes', '12');
		});
		await step('a line item is added through its form', page, async () => {
			const req = page.locator('section.adv-request').first();
			await req.locator('summary', { hasText: 'Add' }).click();
			const form = req.locator('form.adv-item-form');
			await form.getByLabel('Phase').selectOption({ label: 'Three phase' });
			await form.getByLabel('Current (A)').fill('63');
			await Promise.all([
				page.waitForNavigation(),
				form.locator('button[type=submit]').click(),
			]);
			await page.locator('table.adv-items')
			    .filter({ hasText: 'Three phase' }).waitFor();
		});
		await step('the module is submitted and locked', page, async () => {
			await page.reload();
			await Promise.all([
				page.waitForNavigation(),
				page.getByRole('button', { name: 'Submit module' }).click(),
			]);
			await page.locator('.callout-title', { hasText: 'Submitted' })
			    .first().waitFor();
			if (await page.getByRole('button', { name: 'Submit module' })
			    .count() !== 0)
				throw new Error('Submit module is still offered');
		});
		await page.context().close();

		page = await signIn(browser, env('BO_STAFF_EMAIL'), env('BO_PASSWORD'));
		await step('staff sees the answers needing review', page, async () => {
			await page.goto(ADVANCE);
			// A complete module shows folded: open it as a person would.
			const mod = page.locator('details.adv-module').first();
			if (!(await mod.evaluate((d) => d.open)))
				await mod.locator(':scope > summary').click();
			// Staff may edit too, so the answer sits in its field.
			const foh = question(page, 'FOH console');
			const shown = await foh.locator('input[type=text]').first()
			    .inputValue();
			if (shown !== 'DiGiCo SD12')
				throw new Error(`the answer shows as "${shown}"`);
			await foh.getByText('Needs review').first().waitFor();
			await page.locator('table.adv-items tr', { hasText: 'Three phase' })
			    .getByText('Needs review').waitFor();
			await page.getByText('Submitted').first().waitFor();
		});
	} finally {
		await browser.close();
	}
})().then(() => process.exit(0), () => process.exit(1));
