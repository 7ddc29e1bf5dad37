import { Injectable, Logger } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Clock, dateOf, dayOfInstant } from '@praxis/common';
import {
  CHALLENGE_CODES,
  Challenge,
  LADDER_CODES,
  PRESSURE_CODES,
  PRESSURE_SOURCE_CODES,
  PRINCIPLE_CODES,
  STAGE_CODES,
  EMBEDDING_CODES,
  ARGUMENT_CODES,
} from '../domain/codes';
import { RecordReflectionCommand } from '../commands/record-reflection/record-reflection.command';
import { SetResearchConsentCommand } from '../commands/set-research-consent/set-research-consent.command';
import { ReflectionDto } from '../dto/reflection.dto';

export interface DemoWorker {
  id: string;
  organisationId: string;
  teamId: string | null;
}

/** mulberry32: small, seeded, good enough for synthetic data that must be the same every time. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SETTINGS = [
  'a tenants’ forum',
  'a peer support group',
  'a service redesign workshop',
  'a recruitment panel',
  'a review meeting',
  'a community event',
];
const WHO = [
  'two people who use the service',
  'a carer and a support worker',
  'a peer mentor',
  'three residents',
  'a volunteer and a manager',
];
const SO_WHAT = [
  'Having people in the room from the start changed what we agreed.',
  'We ran out of time, so decisions were made without them.',
  'The budget conversation pushed co-production down the list.',
  'Trust is growing, but it is fragile when staff change.',
];
const NOW_WHAT = [
  'Book the next session before the month ends.',
  'Ask the group to set the agenda next time.',
  'Raise the staffing gap with my manager.',
  'Pay people for their time.',
];

/**
 * Two years of synthetic reflections for the quick start, appended through the
 * same commands as real input. Higher pressure tends to lower the rung reached
 * and widen the gap to the rung wanted, with noise, so every chart has a real
 * pattern to show. Seeded: the same data every time.
 */
@Injectable()
export class JournalDemo {
  private readonly logger = new Logger('JournalDemo');

  constructor(
    private readonly commands: CommandBus,
    private readonly clock: Clock,
  ) {}

  async seed(workers: DemoWorker[], seed = 2026, weeks = 104): Promise<number> {
    const rnd = random(seed);
    const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)];
    const today = dayOfInstant(this.clock.now());
    let count = 0;
    for (const [w, worker] of workers.entries()) {
      // Five in six give research consent (one a team does not): five consenting people a team, so the
      // researcher's exports clear k = 5 and hold records (two in three left four a team: every record suppressed).
      if (w % 6 !== 5) await this.commands.execute(new SetResearchConsentCommand(worker.id, true));
      const teamStrain = worker.teamId && w % 2 ? 0.5 : 0;
      for (let week = weeks; week >= 1; week--) {
        if (rnd() < 0.2) continue; // not every week
        const day = dateOf(today - (week * 7 - Math.floor(rnd() * 5)));
        // Pressure drifts up over the two years, with a winter peak and noise.
        const season = Math.cos((Number(day.slice(5, 7)) / 12) * 2 * Math.PI) * 0.5;
        const drift = ((weeks - week) / weeks) * 1.2;
        const pressure = clamp(Math.round(1.3 + drift + season + teamStrain + (rnd() - 0.5) * 1.6), 1, 4);
        const rung = clamp(Math.round(6.4 - 1.1 * (pressure - 1) + (rnd() - 0.5) * 2.4), 1, 7);
        const aspired = clamp(rung + Math.round(0.3 * pressure + rnd() * 1.5), rung, 7);
        const challenges = new Set<Challenge>();
        if (pressure >= 2 && rnd() < 0.7) challenges.add('time');
        if (pressure >= 3 && rnd() < 0.7) challenges.add('reduced_resources');
        if (pressure >= 3 && rnd() < 0.4) challenges.add('short_term_funding');
        if (rnd() < 0.25) challenges.add(pick(CHALLENGE_CODES));
        const reflection: ReflectionDto = {
          occurredOn: day,
          whatHappened: `I facilitated ${pick(SETTINGS)} with ${pick(WHO)}.`,
          soWhat: pick(SO_WHAT),
          nowWhat: rnd() < 0.7 ? pick(NOW_WHAT) : null,
          ladderRung: LADDER_CODES[rung - 1],
          aspiredRung: rnd() < 0.8 ? LADDER_CODES[aspired - 1] : null,
          resourcePressure: PRESSURE_CODES[pressure - 1],
          pressureSources: pressure > 1 ? [...new Set([pick(PRESSURE_SOURCE_CODES), pick(PRESSURE_SOURCE_CODES)])] : [],
          challenges: [...challenges],
          principles: [...new Set(Array.from({ length: Math.max(0, 4 - pressure) }, () => pick(PRINCIPLE_CODES)))],
          stage: pick(STAGE_CODES),
          embedding: demoEmbedding(pick(EMBEDDING_CODES), (weeks - week) / weeks, pressure),
          livedExperienceInvolved: rung >= 4 ? rnd() < 0.8 : rnd() < 0.3,
          advocacy: demoAdvocacy(w, week, pressure),
          tags: rnd() < 0.3 ? ['demo'] : [],
        };
        await this.commands.execute(new RecordReflectionCommand(worker, reflection, `demo-${seed}-${w}-${week}`));
        count += 1;
      }
    }
    this.logger.log(`demo journal: ${count} reflections from ${workers.length} workers over ${weeks} weeks`);
    return count;
  }
}

/**
 * Co-production becomes more embedded over the two years, and slips back under
 * severe pressure: the random pick (still drawn, so every other value stays as
 * it was) moves up with time and down with pressure.
 */
function demoEmbedding(
  picked: (typeof EMBEDDING_CODES)[number],
  progress: number,
  pressure: number,
): (typeof EMBEDDING_CODES)[number] {
  const level = EMBEDDING_CODES.indexOf(picked) + Math.round(progress * 1.6) - (pressure >= 3 ? 1 : 0);
  return EMBEDDING_CODES[clamp(level, 0, EMBEDDING_CODES.length - 1)];
}

/**
 * About one reflection in three makes a case for co-production. Derived from the
 * worker, week and pressure rather than the random stream, so adding it left
 * every other demo value as it was: under pressure the risk case lands and the
 * others meet resistance.
 */
function demoAdvocacy(worker: number, week: number, pressure: number): ReflectionDto['advocacy'] {
  if ((worker + week) % 3 !== 0) return null;
  const argument = ARGUMENT_CODES[(worker * 7 + week) % ARGUMENT_CODES.length];
  const reception =
    pressure >= 3
      ? argument === 'less_risk'
        ? 'receptive'
        : 'resistant'
      : argument === 'ethical'
        ? 'neutral'
        : 'receptive';
  return { argument, reception };
}

const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, n));
