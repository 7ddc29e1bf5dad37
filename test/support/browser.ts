import { existsSync, mkdirSync } from 'node:fs';
import { Browser, chromium, Page } from 'playwright-core';

/** Debian's Chromium (never a downloaded browser); PRAXIS_CHROMIUM points elsewhere if needed. */
export const CHROMIUM = process.env.PRAXIS_CHROMIUM ?? '/usr/bin/chromium';

/** Headless Chromium with no background networking (this machine has no internet), and a folder for screenshots. */
export async function launchChromium(screenshots: string): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`no Chromium at ${CHROMIUM}: install the chromium package (or set PRAXIS_CHROMIUM)`);
  mkdirSync(screenshots, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** Signs in through the /login form, as a person would, and waits for the home page. */
export async function signIn(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${baseUrl}/`);
}
