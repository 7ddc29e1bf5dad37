/** An export's anonymisation report: in the API, on the page, and in datapackage.json. */
export interface ExportReport {
  /** The smallest number of distinct people any released (organisation, team, period) group holds. */
  k: number;
  /** Records in the files. */
  records: number;
  /** Records that met the consent, withdrawal, erasure and date rules (records + suppressed). */
  eligible: number;
  /** Records released at ISO week level. */
  atWeek: number;
  /** Records whose week group was too small, released by month or quarter instead. */
  generalised: { toMonth: number; toQuarter: number; total: number };
  /** Records left out: fewer than k people even by quarter. */
  suppressed: number;
}
