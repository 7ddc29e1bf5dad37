import { join } from 'node:path';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, signIn } from './support/browser';
import { buildWorld, PASSWORD, World } from './support/identity';
import { linkIn, MailCatcher, startMailCatcher } from './support/mail-catcher';
import { RunningApp, startApp } from './support/running-app';

const SHOTS = join(__dirname, '..', 'test-artifacts', 'accounts');
const MINE = 'a password nobody else knows';
/** Links in mails are built on PRAXIS_PUBLIC_URL; the suite's server listens on a port of its own, so links are followed there. */
const PUBLIC_URL = 'https://praxis.example.org';

/** An admin invites from /admin; the person sets their own password with JavaScript off; then changes it on /me and resets it. */
describe('accounts in a browser', () => {
  let mail: MailCatcher;
  let running: RunningApp;
  let world: World;
  let browser: Browser;
  let admin: Page;
  let noScript: BrowserContext;
  let person: Page;
  beforeAll(async () => {
    mail = await startMailCatcher();
    running = await startApp('browser_accounts', { PRAXIS_SMTP_URL: mail.url, PRAXIS_PUBLIC_URL: PUBLIC_URL });
    world = await buildWorld(running.app, running.baseUrl, 'bacc');
    browser = await launchChromium(SHOTS);
    admin = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    noScript = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1024, height: 800 } });
    person = await noScript.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await running?.close();
    await mail?.close();
  });

  const base = () => running.baseUrl;
  const follow = (link: string) => link.replace(PUBLIC_URL, running.baseUrl);
  const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

  it('an admin invites a person from /admin and sees the invitation’s status', async () => {
    await signIn(admin, base(), world.admin.email, PASSWORD);
    await admin.goto(`${base()}/admin?org=${world.orgA}`);
    await admin.getByLabel('Email address', { exact: true }).fill('sam@example.org');
    await admin.getByLabel('Role', { exact: true }).selectOption('worker');
    await admin.getByLabel('Team (optional)', { exact: true }).selectOption({ label: 'A1' });
    await admin.getByRole('button', { name: 'Send the invitation' }).click();
    await admin.waitForLoadState();
    await expect(admin.getByRole('status').textContent()).resolves.toContain('Invitation sent');
    await mail.next('sam@example.org', /invited/);
    mail.mails.length = 0;
    // The catcher has the mail a moment before the sender hears "250 OK" and records it as sent.
    const row = admin.getByRole('row', { name: /sam@example.org/ });
    for (let i = 0; i < 50 && !/mail sent/.test((await row.textContent()) ?? ''); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      await admin.reload();
    }
    await expect(row.textContent()).resolves.toMatch(/Worker\s*A1\s*Invited — mail sent/);
    await expect(
      admin.getByRole('button', { name: 'Send the invitation again to sam@example.org' }).isVisible(),
    ).resolves.toBe(true);
    await shot(admin, '1-admin-invited');
  });

  it('an admin invites several people from a list, and a wrong line marks the box and invites nobody', async () => {
    await admin.goto(`${base()}/admin?org=${world.orgA}`);
    const box = admin.getByLabel('One person a line: email, role, team');
    await box.fill('kim@example.org, worker, A1\nnot an address, worker,');
    await admin.getByRole('button', { name: 'Invite everyone listed' }).click();
    await admin.waitForLoadState();
    await expect(box.getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(admin.getByRole('row', { name: /kim@example.org/ }).count()).resolves.toBe(0);
    // A header line counts: each problem names the line of the box it is on, one to an item of a list.
    await box.fill(
      'email,role,team\nkim@example.org, worker, A1\nnot an address, boss,\nlee@example.org, leader, Nope',
    );
    await admin.getByRole('button', { name: 'Invite everyone listed' }).click();
    await admin.waitForLoadState();
    await expect(admin.locator('#csv-error li').allTextContents()).resolves.toEqual([
      'Line 3: "not an address" is not an email address.',
      'Line 3: the role must be worker or leader (not "boss").',
      'Line 4: this organisation has no team called "Nope".',
    ]);
    await expect(admin.locator('.error-summary').textContent()).resolves.toContain(
      'The list has 3 problems, shown under it; nobody was invited yet',
    );
    await expect(box.inputValue()).resolves.toBe(
      'email,role,team\nkim@example.org, worker, A1\nnot an address, boss,\nlee@example.org, leader, Nope',
    );
    await box.fill('kim@example.org, worker, A1\nlee@example.org, leader,');
    await admin.getByRole('button', { name: 'Invite everyone listed' }).click();
    await admin.waitForLoadState();
    await expect(admin.getByRole('status').textContent()).resolves.toContain('Invitations sent to everyone listed');
    await expect(admin.getByRole('row', { name: /lee@example.org/ }).count()).resolves.toBe(1);
    await mail.next('kim@example.org', /invited/);
    await mail.next('lee@example.org', /invited/);
    mail.mails.length = 0;
  });

  it('inviting someone already invited sends it again if nothing differs, and otherwise says the earlier details stand', async () => {
    // lee was invited as a leader in no team, kim as a worker in A1; neither has accepted.
    await admin.goto(`${base()}/admin?org=${world.orgA}`);
    await admin.getByLabel('Email address', { exact: true }).fill('lee@example.org');
    await admin.getByLabel('Role', { exact: true }).selectOption('worker');
    await admin.getByRole('button', { name: 'Send the invitation', exact: true }).click();
    await admin.waitForLoadState();
    await expect(admin.locator('#email-error').textContent()).resolves.toBe(
      'lee@example.org was already invited as a leader in no team and has not accepted yet. Nothing was changed or sent: ' +
        'the role and team of a pending invitation cannot be changed. ' +
        'To send it again as it is, use "Send the invitation again" beside them in the list',
    );
    await expect(admin.getByRole('row', { name: /lee@example.org/ }).textContent()).resolves.toMatch(/Leader\s*—/);

    await admin.getByLabel('Email address', { exact: true }).fill('kim@example.org');
    await admin.getByLabel('Role', { exact: true }).selectOption('worker');
    await admin.getByLabel('Team (optional)', { exact: true }).selectOption({ label: 'A1' });
    await admin.getByRole('button', { name: 'Send the invitation', exact: true }).click();
    await admin.waitForLoadState();
    await expect(admin.getByRole('status').textContent()).resolves.toBe(
      'They had already been invited and had not accepted yet: a new invitation is on its way, ' +
        'with the same role and team, and the old link no longer works.',
    );
    await mail.next('kim@example.org', /invited/);
    mail.mails.length = 0;

    // A list says the same of each, one to an item.
    const box = admin.getByLabel('One person a line: email, role, team');
    await box.fill(
      `kim@example.org, worker, A1\nlee@example.org, worker, A1\n${world.workerA.email}, worker,\n` +
        `${world.admin.email}, leader,\nmo@example.org, worker,`,
    );
    await admin.getByRole('button', { name: 'Invite everyone listed' }).click();
    await admin.waitForLoadState();
    await expect(admin.locator('.notice p').textContent()).resolves.toBe(
      'Invited 1 of the 5 listed for the first time. The others:',
    );
    await expect(admin.locator('.notice li').allTextContents()).resolves.toEqual([
      'kim@example.org had already been invited and had not accepted yet: a new invitation is on its way, ' +
        'with the same role and team, and the old link no longer works.',
      'lee@example.org was already invited as a leader in no team and has not accepted yet. Nothing was changed or sent: ' +
        'the role and team of a pending invitation cannot be changed. ' +
        'To send it again as it is, use "Send the invitation again" beside them in the list.',
      `${world.workerA.email} already has an account here and has chosen a password, so was not invited.`,
      `${world.admin.email} already has an account elsewhere in Praxis (another organisation, a researcher or an admin), ` +
        'so was not invited.',
    ]);
    await mail.next('kim@example.org', /invited/);
    await mail.next('mo@example.org', /invited/);
    mail.mails.length = 0;
  });

  it('on a phone, /admin stays the width of the screen: its member table scrolls in its own box', async () => {
    await admin.setViewportSize({ width: 375, height: 800 });
    try {
      await admin.goto(`${base()}/admin?org=${world.orgA}`);
      await expect(admin.getByRole('row', { name: /kim@example.org/ }).count()).resolves.toBe(1);
      await expect(admin.evaluate('document.documentElement.scrollWidth')).resolves.toBeLessThanOrEqual(375);
    } finally {
      await admin.setViewportSize({ width: 1280, height: 900 });
    }
  });

  it('the admin sends it again; the person sets their own password with JavaScript off, and the old link is dead', async () => {
    await admin.getByRole('button', { name: 'Send the invitation again to sam@example.org' }).click();
    await admin.waitForLoadState();
    await expect(admin.getByRole('status').textContent()).resolves.toContain('the old link no longer works');
    const link = follow(linkIn(await mail.next('sam@example.org', /invited/), `${PUBLIC_URL}/invitations/`));

    await person.goto(link);
    await expect(person.getByRole('heading', { name: 'Choose your password' }).isVisible()).resolves.toBe(true);
    await expect(person.locator('main').textContent()).resolves.toContain('sam@example.org');
    await expect(person.locator('#password-hint').textContent()).resolves.toContain('At least 12 characters');
    await person.getByLabel('New password', { exact: true }).fill('too short');
    await person.getByLabel('Type the new password again').fill('too short');
    await person.getByRole('button', { name: 'Set my password and sign in' }).click();
    await expect(person.locator('#password-error').textContent()).resolves.toBe(
      'Your password must be at least 12 characters (it has 9)',
    );
    await shot(person, '2-invitation-error');
    await person.getByLabel('New password', { exact: true }).fill(MINE);
    await person.getByLabel('Type the new password again').fill(MINE);
    await person.getByRole('button', { name: 'Set my password and sign in' }).click();
    await person.waitForURL(`${base()}/?welcome=1`);
    await expect(person.getByRole('status').textContent()).resolves.toContain('Your password is set');
    await expect(person.locator('.who').textContent()).resolves.toContain('sam@example.org');
    await shot(person, '3-invitation-accepted');

    await person.goto(link);
    await expect(person.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('This link no longer works');
    await expect(person.title()).resolves.toBe('Error: This link no longer works · Praxis');
    await expect(person.locator('main').textContent()).resolves.toContain(
      'If you have already chosen your password with it, sign in as usual; if not, ask your administrator to send a new invitation.',
    );
  });

  it('on /me, reports every problem of the password form at once, in the order of the fields', async () => {
    await person.goto(`${base()}/me`);
    const change = () => person.getByRole('button', { name: 'Change my password' }).click();
    const summary = () => person.locator('.error-summary li').allTextContents();
    await change();
    await expect(summary()).resolves.toEqual(['Enter your current password', 'Choose a password']);
    await person.getByLabel('Current password', { exact: true }).fill('not it at all');
    await person.getByLabel('New password', { exact: true }).fill('too short');
    await person.getByLabel('Type the new password again').fill('too shrot');
    await change();
    await expect(summary()).resolves.toEqual([
      'Your password must be at least 12 characters (it has 9)',
      'The two passwords are not the same: type the new password again',
    ]);
    await expect(person.locator('#password-error').textContent()).resolves.toBe(
      'Your password must be at least 12 characters (it has 9)',
    );
    await expect(person.locator('#confirmPassword-error').textContent()).resolves.toBe(
      'The two passwords are not the same: type the new password again',
    );
    // The current password is checked with the change, so the page says it has not been yet.
    await expect(person.locator('#currentPassword-hint').textContent()).resolves.toBe(
      'Not checked yet: your current password is checked once the new one is right. Type both again.',
    );
    await shot(person, '3b-password-form-errors');
  });

  it('changes the password on /me; every other session is signed out', async () => {
    const other = await browser.newPage();
    await signIn(other, base(), 'sam@example.org', MINE);
    await person.goto(`${base()}/me`);
    await person.getByLabel('Current password', { exact: true }).fill('not it at all');
    await person.getByLabel('New password', { exact: true }).fill('my second password here');
    await person.getByLabel('Type the new password again').fill('my second password here');
    await person.getByRole('button', { name: 'Change my password' }).click();
    await expect(person.locator('#currentPassword-error').textContent()).resolves.toBe(
      'That is not your current password',
    );
    await person.getByLabel('Current password', { exact: true }).fill(MINE);
    await person.getByLabel('New password', { exact: true }).fill('my second password here');
    await person.getByLabel('Type the new password again').fill('my second password here');
    await person.getByRole('button', { name: 'Change my password' }).click();
    await person.waitForURL(`${base()}/me?password=changed`);
    await expect(person.getByRole('status').textContent()).resolves.toContain('Your new password is saved');
    await shot(person, '4-password-changed');
    // This browser stays signed in; the other one is not.
    await person.goto(`${base()}/journal`);
    expect(new URL(person.url()).pathname).toBe('/journal');
    await other.goto(`${base()}/journal`);
    expect(new URL(other.url()).pathname).toBe('/login');
    await other.close();
  });

  it('forgot password: the link from the mail sets a new one, and the sign-in page says so', async () => {
    const fresh = await noScript.browser()!.newContext({ javaScriptEnabled: false });
    const page = await fresh.newPage();
    await page.goto(`${base()}/login`);
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.getByLabel('Email address').fill('sam@example.org');
    await page.getByRole('button', { name: 'Send me a link' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('If an account has the address you gave');
    const link = follow(linkIn(await mail.next('sam@example.org', /Reset/), `${PUBLIC_URL}/password-reset/`));
    await page.goto(link);
    await page.getByLabel('New password', { exact: true }).fill('my third password here');
    await page.getByLabel('Type the new password again').fill('my third password here');
    await page.getByRole('button', { name: 'Save my new password' }).click();
    await page.waitForURL(`${base()}/login?reset=1`);
    await expect(page.getByRole('status').textContent()).resolves.toContain('Your new password is saved');
    await shot(page, '5-reset-done');
    await signIn(page, base(), 'sam@example.org', 'my third password here');
    await fresh.close();
  });
});
