export class ErasePersonalDataCommand {
  constructor(readonly personId: string) {}
}
