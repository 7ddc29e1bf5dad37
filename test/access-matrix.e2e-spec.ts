import { Database } from '@praxis/common';
import { ExportWorker } from '@praxis/research';
import { startApp, RunningApp } from './support/running-app';
import { buildWorld, call, identityCounts, login, PASSWORD, World } from './support/identity';

/**
 * Every route that exists so far, with every role and with no token, over real
 * HTTP against the real database. The table is the contract: changing any
 * cell must be a deliberate edit here.
 *
 * 401 = not signed in; 403 = the role may never do this; 404 = another
 * organisation's or another person's resource (exactly as if it did not exist).
 * Reflections below belong to workerA; workerB is a worker of organisation B.
 */
const CALLERS = ['none', 'admin', 'leaderA', 'leaderB', 'workerA', 'workerB', 'researcher'] as const;
type Caller = (typeof CALLERS)[number];

const UNKNOWN_ORG = '5f0c8a4e-0000-4000-8000-000000000000';
let n = 0;
const unique = () => `${Date.now().toString(36)}-${++n}`;

interface Route {
  name: string;
  method: string;
  path: (w: World) => string;
  body?: (w: World) => unknown;
  headers?: (w: World) => Promise<Record<string, string>>;
}

/** Two reflections of workerA's: one to read and amend, one to withdraw. */
const mine = { reflection: '', withdrawable: '' };
/** An export of the researcher's. */
const research = { export: '' };
/** People invited who have not set a password yet: admins may send their invitation again. */
const invited = { member: '', researcher: '' };
const BOGUS_TOKEN = 'x'.repeat(43);
const REFLECTION = {
  occurredOn: '2025-06-02',
  whatHappened: 'Planned the drop-in with two people who use it',
  ladderRung: 'co_design',
  resourcePressure: 'stretched',
};

const ROUTES: Record<string, Route> = {
  health: { name: 'GET /health', method: 'GET', path: () => '/health' },
  live: { name: 'GET /health/live', method: 'GET', path: () => '/health/live' },
  ready: { name: 'GET /health/ready', method: 'GET', path: () => '/health/ready' },
  login: {
    name: 'POST /api/auth/login',
    method: 'POST',
    path: () => '/api/auth/login',
    body: (w) => ({ email: w.workerA.email, password: PASSWORD }),
  },
  me: { name: 'GET /api/me', method: 'GET', path: () => '/api/me' },
  createOrg: {
    name: 'POST /api/organisations',
    method: 'POST',
    path: () => '/api/organisations',
    body: () => ({ name: `Org ${unique()}` }),
  },
  listOrgs: { name: 'GET /api/organisations', method: 'GET', path: () => '/api/organisations' },
  getOrg: { name: 'GET /api/organisations/:orgA', method: 'GET', path: (w) => `/api/organisations/${w.orgA}` },
  getUnknownOrg: {
    name: 'GET /api/organisations/:unknown',
    method: 'GET',
    path: () => `/api/organisations/${UNKNOWN_ORG}`,
  },
  createTeam: {
    name: 'POST /api/organisations/:orgA/teams',
    method: 'POST',
    path: (w) => `/api/organisations/${w.orgA}/teams`,
    body: () => ({ name: `Team ${unique()}` }),
  },
  listTeams: {
    name: 'GET /api/organisations/:orgA/teams',
    method: 'GET',
    path: (w) => `/api/organisations/${w.orgA}/teams`,
  },
  addMember: {
    name: 'POST /api/organisations/:orgA/members',
    method: 'POST',
    path: (w) => `/api/organisations/${w.orgA}/members`,
    body: (w) => ({ email: `m-${unique()}@example.org`, role: 'worker', team: w.teamA2 }),
  },
  resendMember: {
    name: 'POST /api/organisations/:orgA/members/:memberId/invitation',
    method: 'POST',
    path: (w) => `/api/organisations/${w.orgA}/members/${invited.member}/invitation`,
  },
  addMemberUnknownOrg: {
    name: 'POST /api/organisations/:unknown/members',
    method: 'POST',
    path: () => `/api/organisations/${UNKNOWN_ORG}/members`,
    body: () => ({ email: `m-${unique()}@example.org`, role: 'worker' }),
  },
  listMembers: {
    name: 'GET /api/organisations/:orgA/members',
    method: 'GET',
    path: (w) => `/api/organisations/${w.orgA}/members`,
  },
  addResearcher: {
    name: 'POST /api/researchers',
    method: 'POST',
    path: () => '/api/researchers',
    body: () => ({ email: `r-${unique()}@example.org` }),
  },
  listResearchers: { name: 'GET /api/researchers', method: 'GET', path: () => '/api/researchers' },
  resendResearcher: {
    name: 'POST /api/researchers/:id/invitation',
    method: 'POST',
    path: () => `/api/researchers/${invited.researcher}/invitation`,
  },
  acceptInvitation: {
    name: 'POST /api/auth/invitations/accept',
    method: 'POST',
    path: () => '/api/auth/invitations/accept',
    body: () => ({ token: BOGUS_TOKEN, password: 'a long enough password' }),
  },
  requestReset: {
    name: 'POST /api/auth/password-reset',
    method: 'POST',
    path: () => '/api/auth/password-reset',
    body: () => ({ email: 'nobody@example.org' }),
  },
  confirmReset: {
    name: 'POST /api/auth/password-reset/confirm',
    method: 'POST',
    path: () => '/api/auth/password-reset/confirm',
    body: () => ({ token: BOGUS_TOKEN, password: 'a long enough password' }),
  },
  changePassword: {
    name: 'PUT /api/me/password',
    method: 'PUT',
    path: () => '/api/me/password',
    body: () => ({ currentPassword: 'not the current one', newPassword: 'a long enough password' }),
  },
  logout: { name: 'POST /api/auth/logout', method: 'POST', path: () => '/api/auth/logout' },
  adminPage: { name: 'GET /admin (page)', method: 'GET', path: () => '/admin' },
  invitationPage: { name: 'GET /invitations/:token (page)', method: 'GET', path: () => `/invitations/${BOGUS_TOKEN}` },
  resetRequestPage: { name: 'GET /password-reset (page)', method: 'GET', path: () => '/password-reset' },
  resetPage: { name: 'GET /password-reset/:token (page)', method: 'GET', path: () => `/password-reset/${BOGUS_TOKEN}` },
  record: { name: 'POST /api/reflections', method: 'POST', path: () => '/api/reflections', body: () => REFLECTION },
  listReflections: { name: 'GET /api/reflections', method: 'GET', path: () => '/api/reflections' },
  getReflection: { name: 'GET /api/reflections/:id', method: 'GET', path: () => `/api/reflections/${mine.reflection}` },
  history: {
    name: 'GET /api/reflections/:id/history',
    method: 'GET',
    path: () => `/api/reflections/${mine.reflection}/history`,
  },
  amend: {
    name: 'PATCH /api/reflections/:id',
    method: 'PATCH',
    path: () => `/api/reflections/${mine.reflection}`,
    body: () => ({ soWhat: `Amended ${unique()}` }),
    headers: async (w) => ({ 'if-match': String(await versionOf(w, mine.reflection)) }),
  },
  withdraw: {
    name: 'DELETE /api/reflections/:id',
    method: 'DELETE',
    path: () => `/api/reflections/${mine.withdrawable}`,
  },
  myTrends: { name: 'GET /api/me/trends', method: 'GET', path: () => '/api/me/trends?granularity=month' },
  consent: {
    name: 'PUT /api/me/research-consent',
    method: 'PUT',
    path: () => '/api/me/research-consent',
    body: () => ({ granted: true }),
  },
  myExport: { name: 'GET /api/me/export', method: 'GET', path: () => '/api/me/export' },
  erase: { name: 'POST /api/me/erase', method: 'POST', path: () => '/api/me/erase' },
  createExport: {
    name: 'POST /api/research/exports',
    method: 'POST',
    path: () => '/api/research/exports',
    body: () => ({ from: '2025-01-01', to: '2025-12-31' }),
  },
  getExport: {
    name: 'GET /api/research/exports/:id',
    method: 'GET',
    path: () => `/api/research/exports/${research.export}`,
  },
  exportNdjson: {
    name: 'GET /api/research/exports/:id/events.ndjson',
    method: 'GET',
    path: () => `/api/research/exports/${research.export}/events.ndjson`,
  },
  exportCsv: {
    name: 'GET /api/research/exports/:id/events.csv',
    method: 'GET',
    path: () => `/api/research/exports/${research.export}/events.csv`,
  },
  exportPackage: {
    name: 'GET /api/research/exports/:id/datapackage.json',
    method: 'GET',
    path: () => `/api/research/exports/${research.export}/datapackage.json`,
  },
  researchPage: { name: 'GET /research (page)', method: 'GET', path: () => '/research' },
  exportsFormPage: { name: 'GET /research/exports (page)', method: 'GET', path: () => '/research/exports' },
  exportPage: {
    name: 'GET /research/exports/:id (page)',
    method: 'GET',
    path: () => `/research/exports/${research.export}`,
  },
  exportPageNdjson: {
    name: 'GET /research/exports/:id/events.ndjson (page)',
    method: 'GET',
    path: () => `/research/exports/${research.export}/events.ndjson`,
  },
  exportPageCsv: {
    name: 'GET /research/exports/:id/events.csv (page)',
    method: 'GET',
    path: () => `/research/exports/${research.export}/events.csv`,
  },
  exportPagePackage: {
    name: 'GET /research/exports/:id/datapackage.json (page)',
    method: 'GET',
    path: () => `/research/exports/${research.export}/datapackage.json`,
  },
  journalPage: { name: 'GET /journal (page)', method: 'GET', path: () => '/journal' },
  journalNewPage: { name: 'GET /journal/new (page)', method: 'GET', path: () => '/journal/new' },
  journalEntryPage: { name: 'GET /journal/:id (page)', method: 'GET', path: () => `/journal/${mine.reflection}` },
  journalWithdrawPage: {
    name: 'GET /journal/:id/withdraw (page)',
    method: 'GET',
    path: () => `/journal/${mine.reflection}/withdraw`,
  },
  journalCsv: { name: 'GET /journal/export.csv', method: 'GET', path: () => '/journal/export.csv' },
  myTrendsPage: { name: 'GET /trends (page)', method: 'GET', path: () => '/trends' },
  myDataPage: { name: 'GET /me (page)', method: 'GET', path: () => '/me' },
  myDataDownload: { name: 'GET /me/export.json (page)', method: 'GET', path: () => '/me/export.json' },
  loginPage: { name: 'GET /login (page)', method: 'GET', path: () => '/login' },
  homePage: { name: 'GET / (page; a bearer token does not sign pages in)', method: 'GET', path: () => '/' },
  metrics: {
    name: 'GET /metrics (from loopback; others get 404, see metrics-docs suite)',
    method: 'GET',
    path: () => '/metrics',
  },
  apiDocs: { name: 'GET /api/docs', method: 'GET', path: () => '/api/docs' },
  apiDocsJson: { name: 'GET /api/docs-json', method: 'GET', path: () => '/api/docs-json' },
  orgTrends: {
    name: 'GET /api/organisations/:orgA/trends',
    method: 'GET',
    path: (w) => `/api/organisations/${w.orgA}/trends?granularity=month`,
  },
  dashboardPage: { name: 'GET /dashboard (page)', method: 'GET', path: () => '/dashboard' },
  rebuild: {
    name: 'POST /api/admin/projections/rebuild',
    method: 'POST',
    path: () => '/api/admin/projections/rebuild',
  },
  rebuildStatus: {
    name: 'GET /api/admin/projections/rebuild',
    method: 'GET',
    path: () => '/api/admin/projections/rebuild',
  },
};

// prettier-ignore
const MATRIX: [keyof typeof ROUTES, Record<Caller, number>][] = [
  //                          none   admin  leaderA leaderB workerA workerB researcher
  ['health',              row(200,   200,   200,    200,    200,    200,    200)],
  ['live',                row(200,   200,   200,    200,    200,    200,    200)],
  ['ready',               row(200,   200,   200,    200,    200,    200,    200)],
  ['login',               row(200,   200,   200,    200,    200,    200,    200)],
  ['me',                  row(401,   200,   200,    200,    200,    200,    200)],
  ['createOrg',           row(401,   201,   403,    403,    403,    403,    403)],
  ['listOrgs',            row(401,   200,   403,    403,    403,    403,    403)],
  ['getOrg',              row(401,   200,   200,    404,    403,    403,    403)],
  ['getUnknownOrg',       row(401,   404,   404,    404,    403,    403,    403)],
  ['createTeam',          row(401,   201,   201,    404,    403,    403,    403)],
  ['listTeams',           row(401,   200,   200,    404,    403,    403,    403)],
  // Only admins invite people; for everyone else these routes do not exist.
  ['addMember',           row(401,   201,   404,    404,    404,    404,    404)],
  ['addMemberUnknownOrg', row(401,   404,   404,    404,    404,    404,    404)],
  ['resendMember',        row(401,   202,   404,    404,    404,    404,    404)],
  ['listMembers',         row(401,   200,   200,    404,    403,    403,    403)],
  ['addResearcher',       row(401,   201,   404,    404,    404,    404,    404)],
  ['listResearchers',     row(401,   200,   404,    404,    404,    404,    404)],
  ['resendResearcher',    row(401,   202,   404,    404,    404,    404,    404)],
  // One-time links: a link that opens nothing is 410 for anyone; a reset request is 202 for anyone.
  ['acceptInvitation',    row(410,   410,   410,    410,    410,    410,    410)],
  ['requestReset',        row(202,   202,   202,    202,    202,    202,    202)],
  ['confirmReset',        row(410,   410,   410,    410,    410,    410,    410)],
  ['changePassword',      row(401,   400,   400,    400,    400,    400,    400)],
  ['record',              row(401,   403,   403,    403,    201,    201,    403)],
  ['listReflections',     row(401,   403,   403,    403,    200,    200,    403)],
  ['getReflection',       row(401,   403,   403,    403,    200,    404,    403)],
  ['history',             row(401,   403,   403,    403,    200,    404,    403)],
  ['amend',               row(401,   403,   403,    403,    200,    404,    403)],
  ['withdraw',            row(401,   403,   403,    403,    204,    404,    403)],
  ['myTrends',            row(401,   403,   403,    403,    200,    200,    403)],
  ['consent',             row(401,   403,   403,    403,    200,    200,    403)],
  ['myExport',            row(401,   403,   403,    403,    200,    200,    403)],
  // Research: other roles get 404, as if the routes did not exist.
  ['createExport',        row(401,   404,   404,    404,    404,    404,    202)],
  ['getExport',           row(401,   404,   404,    404,    404,    404,    200)],
  ['exportNdjson',        row(401,   404,   404,    404,    404,    404,    200)],
  ['exportCsv',           row(401,   404,   404,    404,    404,    404,    200)],
  ['exportPackage',       row(401,   404,   404,    404,    404,    404,    200)],
  ['researchPage',        row(303,   303,   303,    303,    303,    303,    303)],
  ['exportsFormPage',     row(303,   303,   303,    303,    303,    303,    303)],
  ['exportPage',          row(303,   303,   303,    303,    303,    303,    303)],
  ['exportPageNdjson',    row(303,   303,   303,    303,    303,    303,    303)],
  ['exportPageCsv',       row(303,   303,   303,    303,    303,    303,    303)],
  ['exportPagePackage',   row(303,   303,   303,    303,    303,    303,    303)],
  // Pages sign in by session cookie only: a bearer token is not a session, so everyone is sent to /login.
  ['journalPage',         row(303,   303,   303,    303,    303,    303,    303)],
  ['journalNewPage',      row(303,   303,   303,    303,    303,    303,    303)],
  ['journalEntryPage',    row(303,   303,   303,    303,    303,    303,    303)],
  ['journalWithdrawPage', row(303,   303,   303,    303,    303,    303,    303)],
  ['journalCsv',          row(303,   303,   303,    303,    303,    303,    303)],
  ['myTrendsPage',        row(303,   303,   303,    303,    303,    303,    303)],
  ['myDataPage',          row(303,   303,   303,    303,    303,    303,    303)],
  ['myDataDownload',      row(303,   303,   303,    303,    303,    303,    303)],
  ['loginPage',           row(200,   200,   200,    200,    200,    200,    200)],
  ['adminPage',           row(303,   303,   303,    303,    303,    303,    303)],
  ['invitationPage',      row(410,   410,   410,    410,    410,    410,    410)],
  ['resetRequestPage',    row(200,   200,   200,    200,    200,    200,    200)],
  ['resetPage',           row(410,   410,   410,    410,    410,    410,    410)],
  ['homePage',            row(303,   303,   303,    303,    303,    303,    303)],
  // Open to anyone; /metrics only to callers on the host itself (this suite calls from 127.0.0.1).
  ['metrics',             row(200,   200,   200,    200,    200,    200,    200)],
  ['apiDocs',             row(200,   200,   200,    200,    200,    200,    200)],
  ['apiDocsJson',         row(200,   200,   200,    200,    200,    200,    200)],
  // Organisation trends: its leaders only; everyone else gets 404, as for an organisation that is not theirs.
  ['orgTrends',           row(401,   404,   200,    404,    404,    404,    404)],
  ['dashboardPage',       row(303,   303,   303,    303,    303,    303,    303)],
  ['rebuild',             row(401,   202,   403,    403,    403,    403,    403)],
  ['rebuildStatus',       row(401,   200,   403,    403,    403,    403,    403)],
  // Last: erasure closes the workers' accounts, then signing out ends everyone's tokens.
  ['erase',               row(401,   403,   403,    403,    202,    202,    403)],
  ['logout',              row(401,   204,   204,    204,    401,    401,    204)],
];

function row(...statuses: number[]): Record<Caller, number> {
  return Object.fromEntries(CALLERS.map((c, i) => [c, statuses[i]])) as Record<Caller, number>;
}

describe('access matrix over HTTP', () => {
  let running: RunningApp;
  let world: World;
  beforeAll(async () => {
    running = await startApp('access_matrix');
    runningBaseUrl = running.baseUrl;
    world = await buildWorld(running.app, running.baseUrl);
    for (const key of ['reflection', 'withdrawable'] as const) {
      const res = await call(running.baseUrl, 'POST', '/api/reflections', {
        token: world.workerA.token,
        body: REFLECTION,
      });
      if (res.status !== 201) throw new Error(`could not record a reflection: ${JSON.stringify(res.body)}`);
      mine[key] = res.body.id;
    }
    const created = await call(running.baseUrl, 'POST', '/api/research/exports', {
      token: world.researcher.token,
      body: { from: '2025-01-01', to: '2025-12-31' },
    });
    research.export = created.body.id;
    await running.app.get(ExportWorker).drain();
    const member = { email: `invited-${unique()}@example.org`, role: 'worker' };
    invited.member = (
      await call(running.baseUrl, 'POST', `/api/organisations/${world.orgA}/members`, {
        token: world.admin.token,
        body: member,
      })
    ).body.id;
    invited.researcher = (
      await call(running.baseUrl, 'POST', '/api/researchers', {
        token: world.admin.token,
        body: { email: `r-${unique()}@example.org` },
      })
    ).body.id;
  });
  afterAll(() => running?.close());

  const cases = MATRIX.flatMap(([route, expected]) =>
    CALLERS.map((caller) => ({ route, caller, status: expected[caller] })),
  );

  it.each(cases)('$route as $caller → $status', async ({ route, caller, status }) => {
    const r = ROUTES[route];
    const token = caller === 'none' ? undefined : world[caller].token;
    const headers = r.headers ? await r.headers(world) : undefined;
    const res = await call(running.baseUrl, r.method, r.path(world), { token, body: r.body?.(world), headers });
    expect({ route: r.name, caller, status: res.status }).toEqual({ route: r.name, caller, status });
    if (status >= 400 && !r.name.includes('(page)'))
      expect(res.body).toMatchObject({ statusCode: status, error: expect.any(String), message: expect.anything() });
  });

  it('covers every route of the application (a new route must join the matrix)', () => {
    const covered = new Set(
      MATRIX.map(([route]) => `${ROUTES[route].method} ${templateOf(ROUTES[route].path(world))}`),
    );
    const server = running.app.getHttpAdapter().getInstance();
    const registered = listRoutes(server).filter((r) => !covered.has(r));
    // Page routes reached only by forms (POST /login, /logout, /research/exports, the journal's, the admin's and the account forms)
    // and GET /logout are walked in the page suites.
    expect(registered.sort()).toEqual([
      'GET /logout',
      'POST /admin/organisations',
      'POST /admin/organisations/:orgId/members',
      'POST /admin/organisations/:orgId/members/:memberId/invitation',
      'POST /admin/organisations/:orgId/members/csv',
      'POST /admin/organisations/:orgId/teams',
      'POST /admin/researchers',
      'POST /admin/researchers/:id/invitation',
      'POST /invitations/:token',
      'POST /journal/:id',
      'POST /journal/:id/withdraw',
      'POST /journal/new',
      'POST /login',
      'POST /logout',
      'POST /me/consent',
      'POST /me/erase',
      'POST /me/password',
      'POST /password-reset',
      'POST /password-reset/:token',
      'POST /research/exports',
    ]);
  });

  it('shows the answers that succeeded really wrote: invited members land in their team, with their events', async () => {
    const admin = await login(running.baseUrl, world.admin.email, PASSWORD);
    const members = await call(running.baseUrl, 'GET', `/api/organisations/${world.orgA}/members`, { token: admin });
    expect(
      members.body.filter((m: { team: string; status: string }) => m.team === world.teamA2 && m.status === 'invited'),
    ).toHaveLength(1);
    const counts = await identityCounts(running.app.get(Database).dataSource);
    expect(counts.organisations).toBe(3); // Org A, Org B, and the admin's
  });
});

/** "/api/organisations/<uuid>/teams" → "/api/organisations/:orgId/teams", to compare with the router's paths. */
function templateOf(path: string): string {
  const withoutQuery = path.split('?')[0];
  const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
  const param =
    withoutQuery.startsWith('/api/reflections/') ||
    withoutQuery.startsWith('/journal/') ||
    withoutQuery.includes('/research/exports/') ||
    withoutQuery.startsWith('/api/researchers/')
      ? ':id'
      : ':orgId';
  return withoutQuery
    .replace(new RegExp(`/members/${UUID}/`), '/members/:memberId/')
    .replace(/\/(invitations|password-reset)\/x{43}$/, '/$1/:token')
    .replace(new RegExp(UUID, 'g'), param);
}

async function versionOf(w: World, id: string): Promise<number> {
  const res = await call(runningBaseUrl, 'GET', `/api/reflections/${id}`, { token: w.workerA.token });
  return res.body.version ?? 1;
}
let runningBaseUrl = '';

function listRoutes(server: { router?: { stack: any[] }; _router?: { stack: any[] } }): string[] {
  const stack = (server.router ?? server._router)?.stack ?? [];
  return stack
    .filter((layer) => layer.route)
    .flatMap((layer) =>
      Object.keys(layer.route.methods)
        .filter((m) => m !== '_all')
        .map((m) => `${m.toUpperCase()} ${layer.route.path}`),
    );
}
