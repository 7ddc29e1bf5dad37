/**
 * Every code a reflection carries, with its plain-language label, a one-line
 * hint for the form, and the framework it comes from. DTOs, events, read
 * models, pages and the research codebook all use these lists.
 */
export interface CodeInfo<C extends string = string> {
  code: C;
  label: string;
  hint: string;
  /** Position on an ordinal scale (ladder rungs, pressure levels). */
  ordinal?: number;
}

export interface CodeList<C extends string = string> {
  field: string;
  title: string;
  /** The framework the codes come from, for the research codebook. */
  source: string;
  codes: readonly CodeInfo<C>[];
  /** What the form says under the question; without one, it names the framework (Praxis's own scales have one). */
  hint?: string;
}

const list = <C extends string>(
  field: string,
  title: string,
  source: string,
  codes: readonly CodeInfo<C>[],
  hint?: string,
): CodeList<C> => ({
  field,
  title,
  source,
  codes,
  ...(hint ? { hint } : {}),
});

export const LADDER_CODES = [
  'coercion',
  'educating',
  'informing',
  'consultation',
  'engagement',
  'co_design',
  'co_production',
] as const;
export type LadderRung = (typeof LADDER_CODES)[number];
export const LADDER = list<LadderRung>(
  'ladderRung',
  'Ladder of co-production',
  'TLAP (Think Local Act Personal) Ladder of Co-production',
  [
    {
      code: 'coercion',
      ordinal: 1,
      label: 'Coercion',
      hint: 'People attended, but had no say in what happened ("doing to").',
    },
    {
      code: 'educating',
      ordinal: 2,
      label: 'Educating',
      hint: 'We helped people understand a service already designed ("doing to").',
    },
    {
      code: 'informing',
      ordinal: 3,
      label: 'Informing',
      hint: 'We told people about decisions that had been made ("doing for").',
    },
    {
      code: 'consultation',
      ordinal: 4,
      label: 'Consultation',
      hint: 'We asked for views, with no promise they would change anything ("doing for").',
    },
    {
      code: 'engagement',
      ordinal: 5,
      label: 'Engagement',
      hint: 'People had more chance to express views and influence, but we kept the decisions ("doing for").',
    },
    {
      code: 'co_design',
      ordinal: 6,
      label: 'Co-design',
      hint: 'People helped design the service, their ideas shaped it ("doing with").',
    },
    {
      code: 'co_production',
      ordinal: 7,
      label: 'Co-production',
      hint: 'An equal relationship: we designed, delivered and decided together ("doing with").',
    },
  ],
);

export const PRESSURE_CODES = ['resourced', 'stretched', 'severe', 'survival'] as const;
export type ResourcePressure = (typeof PRESSURE_CODES)[number];
export const PRESSURE = list<ResourcePressure>(
  'resourcePressure',
  'Resource pressure',
  'Praxis resource-pressure scale',
  [
    { code: 'resourced', ordinal: 1, label: 'Resourced', hint: 'We had the time, people and money the work needed.' },
    { code: 'stretched', ordinal: 2, label: 'Stretched', hint: 'We managed, but something had to give.' },
    { code: 'severe', ordinal: 3, label: 'Severe', hint: 'Co-production was paused or cut back to cope.' },
    { code: 'survival', ordinal: 4, label: 'Survival', hint: 'Keeping the doors open and the lights on.' },
  ],
);

export const PRESSURE_SOURCE_CODES = ['time', 'staffing', 'funding', 'space', 'digital'] as const;
export type PressureSource = (typeof PRESSURE_SOURCE_CODES)[number];
export const PRESSURE_SOURCES = list<PressureSource>(
  'pressureSources',
  'Where the pressure came from',
  'Praxis resource-pressure scale',
  [
    { code: 'time', label: 'Time', hint: 'Not enough time to do it properly.' },
    { code: 'staffing', label: 'Staffing', hint: 'Vacancies, sickness or turnover.' },
    { code: 'funding', label: 'Funding', hint: 'Money was short, cut or uncertain.' },
    { code: 'space', label: 'Space', hint: 'No suitable place to meet.' },
    { code: 'digital', label: 'Digital', hint: 'Devices, connectivity or skills got in the way.' },
  ],
  'Tick any that were short or got in the way.',
);

export const CHALLENGE_CODES = [
  'time',
  'skills',
  'power_and_risk',
  'reduced_resources',
  'colleague_buy_in',
  'short_term_funding',
  'participation_barriers',
  'other',
] as const;
export type Challenge = (typeof CHALLENGE_CODES)[number];
export const CHALLENGES = list<Challenge>(
  'challenges',
  'What got in the way',
  'Co-production challenges (SCIE / TLAP)',
  [
    { code: 'time', label: 'Time', hint: 'Co-production takes longer than the timetable allowed.' },
    { code: 'skills', label: 'Skills', hint: 'We, or the people we work with, lacked skills or confidence.' },
    {
      code: 'power_and_risk',
      label: 'Power and risk',
      hint: 'Sharing power felt risky, or someone would not share it.',
    },
    { code: 'reduced_resources', label: 'Reduced resources', hint: 'Cuts left less room to involve people.' },
    { code: 'colleague_buy_in', label: 'Colleague buy-in', hint: 'Colleagues or managers were not on board.' },
    {
      code: 'short_term_funding',
      label: 'Short-term funding',
      hint: 'Funding ended before the relationship could grow.',
    },
    {
      code: 'participation_barriers',
      label: 'Barriers to taking part',
      hint: 'Access, cost, language, care duties or trust kept people out.',
    },
    { code: 'other', label: 'Something else', hint: 'Another obstacle (describe it in the text).' },
  ],
);

export const PRINCIPLE_CODES = [
  'assets',
  'capabilities',
  'mutuality',
  'peer_networks',
  'blurring_roles',
  'facilitating',
] as const;
export type Principle = (typeof PRINCIPLE_CODES)[number];
export const PRINCIPLES = list<Principle>('principles', 'Principles in play', 'NEF principles of co-production', [
  { code: 'assets', label: 'Assets', hint: 'We treated people as assets, not problems.' },
  { code: 'capabilities', label: 'Capabilities', hint: 'We built on what people can do.' },
  {
    code: 'mutuality',
    label: 'Mutuality',
    hint: 'Reciprocal relationships, with shared responsibilities and expectations.',
  },
  {
    code: 'peer_networks',
    label: 'Peer networks',
    hint: 'We drew on peer and personal networks alongside professionals.',
  },
  { code: 'blurring_roles', label: 'Blurring roles', hint: 'The line between provider and recipient softened.' },
  { code: 'facilitating', label: 'Facilitating', hint: 'We acted as catalysts rather than deliverers.' },
]);

export const STAGE_CODES = ['co_commissioning', 'co_design', 'co_delivery', 'co_assessment'] as const;
export type Stage = (typeof STAGE_CODES)[number];
export const STAGES = list<Stage>(
  'stage',
  'Stage of the work',
  'The Four Co\u2019s (co-commissioning, co-design, co-delivery, co-assessment)',
  [
    { code: 'co_commissioning', label: 'Co-commissioning', hint: 'Deciding together what is needed and funded.' },
    { code: 'co_design', label: 'Co-design', hint: 'Designing the service or activity together.' },
    { code: 'co_delivery', label: 'Co-delivery', hint: 'Running it together.' },
    { code: 'co_assessment', label: 'Co-assessment', hint: 'Judging together how well it worked.' },
  ],
);

export const EMBEDDING_CODES = ['one_off', 'recurring', 'team_norm', 'organisational_policy'] as const;
export type Embedding = (typeof EMBEDDING_CODES)[number];
export const EMBEDDINGS = list<Embedding>(
  'embedding',
  'How embedded is this way of working',
  'Praxis embedding scale',
  [
    { code: 'one_off', label: 'One-off', hint: 'It happened this time.' },
    { code: 'recurring', label: 'Recurring', hint: 'We do it regularly.' },
    { code: 'team_norm', label: 'Team norm', hint: 'It is how our team works.' },
    {
      code: 'organisational_policy',
      label: 'Organisational policy',
      hint: 'The organisation expects and supports it.',
    },
  ],
  'Is this a one-off, or becoming how you work?',
);

export const ARGUMENT_CODES = ['ethical', 'better_outcomes', 'less_risk', 'other'] as const;
export type AdvocacyArgument = (typeof ARGUMENT_CODES)[number];
export const ARGUMENTS = list<AdvocacyArgument>(
  'advocacy.argument',
  'The case you made for co-production',
  'Praxis advocacy codes',
  [
    { code: 'ethical', label: 'It is the right thing to do', hint: 'People have a right to shape services they use.' },
    { code: 'better_outcomes', label: 'Better outcomes', hint: 'It leads to services that work better.' },
    { code: 'less_risk', label: 'Less risk', hint: 'It reduces the risk of failure or harm.' },
    { code: 'other', label: 'Another argument', hint: 'Something else.' },
  ],
  'If you argued for working this way, the main reason you gave.',
);

export const RECEPTION_CODES = ['receptive', 'neutral', 'resistant'] as const;
export type AdvocacyReception = (typeof RECEPTION_CODES)[number];
export const RECEPTIONS = list<AdvocacyReception>(
  'advocacy.reception',
  'How the case was received',
  'Praxis advocacy codes',
  [
    { code: 'receptive', label: 'Receptive', hint: 'They were open to it.' },
    { code: 'neutral', label: 'Neutral', hint: 'Neither for nor against.' },
    { code: 'resistant', label: 'Resistant', hint: 'They pushed back.' },
  ],
  'How the people you made the case to responded.',
);

/** Every code list by name, as the form and the pages show them. */
export const CODE_LISTS = {
  LADDER,
  PRESSURE,
  PRESSURE_SOURCES,
  CHALLENGES,
  PRINCIPLES,
  STAGES,
  EMBEDDINGS,
  ARGUMENTS,
  RECEPTIONS,
} as const;

/** The same lists in the codebook's order (the export's datapackage, the docs). */
export const CODEBOOK: readonly CodeList[] = Object.values(CODE_LISTS);

export const ladderOrdinal = (rung: LadderRung): number => LADDER_CODES.indexOf(rung) + 1;
export const pressureOrdinal = (pressure: ResourcePressure): number => PRESSURE_CODES.indexOf(pressure) + 1;
/** Rungs 6–7 are "doing with". */
export const isDoingWith = (rung: LadderRung): boolean => ladderOrdinal(rung) >= 6;
