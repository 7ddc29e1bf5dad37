export class SetResearchConsentCommand {
  constructor(
    readonly personId: string,
    readonly granted: boolean,
  ) {}
}

export interface ConsentState {
  granted: boolean;
  since: string | null;
}
