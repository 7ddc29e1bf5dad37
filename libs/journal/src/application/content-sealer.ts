import { Injectable } from '@nestjs/common';
import { Erased, ERASED, isErased, Queryable, SubjectKeyStore } from '@praxis/event-store';
import { PersonalContent, SealedContent } from '../domain/reflection-events';

export type OpenedContent = { [K in keyof PersonalContent]?: PersonalContent[K] | Erased };

/** Seals a reflection's personal text under its author's key, and opens it again. */
@Injectable()
export class ContentSealer {
  constructor(private readonly keys: SubjectKeyStore) {}

  /**
   * Seals whichever personal fields are given; null stays null (a cleared field).
   * `keepKey`: see SubjectKeyStore — only for an append that fails once the author is erased.
   */
  async seal(
    authorId: string,
    content: Partial<PersonalContent>,
    db?: Queryable,
    options: { keepKey?: boolean } = {},
  ): Promise<Partial<SealedContent>> {
    const entries = Object.entries(content).filter(([, v]) => v !== undefined) as [keyof PersonalContent, unknown][];
    const plain = entries
      .filter(([, v]) => v !== null)
      .map(([k, v]) => (k === 'tags' ? JSON.stringify(v) : (v as string)));
    const sealed = plain.length ? await this.keys.encryptMany(authorId, plain, db, options) : [];
    const out: Record<string, string | null> = {};
    let i = 0;
    for (const [key, value] of entries) out[key] = value === null ? null : sealed[i++];
    return out as Partial<SealedContent>;
  }

  /** Drops the author's kept key. */
  forget(authorId: string): void {
    this.keys.forget(authorId);
  }

  /** Opens sealed content of many records at once (one key look-up per author). */
  async openMany(
    items: { authorId: string; content: Partial<SealedContent> }[],
    db?: Queryable,
  ): Promise<OpenedContent[]> {
    const requests: { subjectId: string; sealed: string }[] = [];
    for (const item of items) {
      for (const value of Object.values(item.content))
        if (typeof value === 'string') requests.push({ subjectId: item.authorId, sealed: value });
    }
    const opened = await this.keys.decryptMany(requests, db);
    let i = 0;
    return items.map((item) => {
      const out: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(item.content)) {
        if (value === null || value === undefined) {
          out[key] = key === 'tags' ? [] : null;
          continue;
        }
        const plain = opened[i++];
        out[key] = isErased(plain) ? ERASED : key === 'tags' ? (JSON.parse(plain) as string[]) : plain;
      }
      return out as OpenedContent;
    });
  }
}
