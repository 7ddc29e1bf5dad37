import { EventStore1764270000000 } from './1764270000000-event-store';
import { Identity1764300000000 } from './1764300000000-identity';
import { Journal1764400000000 } from './1764400000000-journal';
import { Research1764700000000 } from './1764700000000-research';
import { OrganisationReadModel1764800000000 } from './1764800000000-organisation-read-model';
import { OrganisationTrendsCoveringIndex1764900000000 } from './1764900000000-organisation-trends-covering-index';
import { AccountsOwnPasswords1765000000000 } from './1765000000000-accounts-own-passwords';
import { OrganisationPractice1765012000000 } from './1765012000000-organisation-practice';
import { PublishedQuarters1765300000000 } from './1765300000000-published-quarters';
import { SignInCounts1765400000000 } from './1765400000000-sign-in-counts';
import { ResearchExportStatus1765500000000 } from './1765500000000-research-export-status';
import { ResearchExportLease1765640000000 } from './1765640000000-research-export-lease';
import { ResearchExportRebuild1765720000000 } from './1765720000000-research-export-rebuild';
import { AccountChanges1765800000000 } from './1765800000000-account-changes';
import { ResearchExportPages1765900000000 } from './1765900000000-research-export-pages';
import { ResearchFrozenQuarters1766000000000 } from './1766000000000-research-frozen-quarters';
import { OrganisationNames1766100000000 } from './1766100000000-organisation-names';

/** Every migration, in order. Listed, not globbed, so a bundle or a test sees the same set. */
export const ALL_MIGRATIONS = [
  EventStore1764270000000,
  Identity1764300000000,
  Journal1764400000000,
  Research1764700000000,
  OrganisationReadModel1764800000000,
  OrganisationTrendsCoveringIndex1764900000000,
  AccountsOwnPasswords1765000000000,
  OrganisationPractice1765012000000,
  PublishedQuarters1765300000000,
  SignInCounts1765400000000,
  ResearchExportStatus1765500000000,
  ResearchExportLease1765640000000,
  ResearchExportRebuild1765720000000,
  AccountChanges1765800000000,
  ResearchExportPages1765900000000,
  ResearchFrozenQuarters1766000000000,
  OrganisationNames1766100000000,
];
